import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, OpenApiDocument } from './openapi-document.ts';

// ajv-formats is CommonJS: its default export arrives wrapped once more under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const DOCUMENT_ID = 'https://detention-ledger.invalid/openapi.json';

/**
 * A deep copy of an OpenAPI schema as plain JSON Schema 2020-12 for ajv: component references point into
 * `$defs` of one registered schema, and every object that lists its properties is closed with
 * `unevaluatedProperties: false` unless it says otherwise, so a field the document does not declare fails
 * validation instead of passing unseen.
 */
function forAjv(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forAjv);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === '$ref' && typeof value === 'string') {
      copy.$ref = value.replace('#/components/schemas/', `${DOCUMENT_ID}#/$defs/`);
    } else if (keyword === 'properties' && value !== null && typeof value === 'object') {
      copy.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, forAjv(sub)]));
    } else {
      copy[keyword] = forAjv(value);
    }
  }
  if ('properties' in copy && !('additionalProperties' in copy) && !('unevaluatedProperties' in copy)) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

export interface DeclaredSchemas {
  /** A validator of one schema of the document (inline, or a `$ref` to a component). */
  validator(schema: JsonSchema): ValidateFunction;
  /** A validator of the component `name`. */
  component(name: string): ValidateFunction;
}

/** Validators (ajv, draft 2020-12, with formats) of the schemas an OpenAPI 3.1 document declares. */
export function declaredSchemas(document: OpenApiDocument): DeclaredSchemas {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // zod writes `base64url` for sealed boxes; ajv-formats knows only `byte` (RFC 4648 §4, not §5).
  ajv.addFormat('base64url', /^[A-Za-z0-9_-]*$/);
  // OpenAPI's own annotation, not a JSON Schema keyword.
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema({ $id: DOCUMENT_ID, $defs: forAjv(document.components.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (schema: JsonSchema) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(forAjv(schema) as object);
      compiled.set(key, validate);
    }
    return validate;
  };
  return {
    validator,
    component: (name) => validator({ $ref: `#/components/schemas/${name}` }),
  };
}

/** The errors of a failed validation, one line each, for an assertion message. */
export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 10)
    .map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`)
    .join('\n');
}
