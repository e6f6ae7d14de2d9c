import openapiTS, { astToString } from 'openapi-typescript';

/** The TypeScript declarations of an OpenAPI document, as openapi-typescript writes them. */
export async function clientTypesOf(document) {
  return astToString(await openapiTS(document));
}
