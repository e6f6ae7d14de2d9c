import { servedDocument as documentOfApp } from '../../local/web/served-document.ts';

/** The parts of an OpenAPI 3.1 document these tests read. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly servers?: ReadonlyArray<{ url: string; description?: string }>;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, JsonSchema> };
}

export interface Operation {
  readonly operationId?: string;
  readonly security?: ReadonlyArray<Record<string, readonly string[]>>;
  readonly parameters?: ReadonlyArray<{ name: string; in: string; schema?: JsonSchema }>;
  readonly responses: Record<string, DeclaredResponse>;
}

export interface DeclaredResponse {
  readonly description: string;
  readonly headers?: Record<string, { schema?: JsonSchema }>;
  readonly content?: Record<string, { schema?: JsonSchema }>;
}

export type JsonSchema = { readonly [keyword: string]: unknown };

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every operation of the document with its `METHOD /path` key, as `ROUTE_ROLES` spells it. */
export function operationsOf(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, operation })),
  );
}

/** The document the app serves at `/openapi.json`, asked of the app itself. */
export async function servedDocument(): Promise<OpenApiDocument> {
  return (await documentOfApp()) as OpenApiDocument;
}
