/** The TypeScript declarations of an OpenAPI document, as openapi-typescript writes them. */
export function clientTypesOf(document: object): Promise<string>;
