// What the core's snapshot schema needs, as SOQL field paths per snapshot section.
import type { JsonSchema } from '../../../../packages/core/src/snapshot/jsonSchema.js';

/** Property names of an object schema, nested objects as dotted paths; `attributes` is REST noise. */
export function fieldPaths(schema: JsonSchema, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (name === 'attributes') continue;
    const nested = child as JsonSchema;
    const types = Array.isArray(nested.type) ? nested.type : [nested.type];
    if (types.includes('object') && nested.properties)
      paths.push(...fieldPaths(nested, `${prefix}${name}.`));
    else paths.push(`${prefix}${name}`);
  }
  return paths;
}

/** The record schema of a section: the items of an array, the values of a map, or the object. */
export function recordSchema(section: JsonSchema): JsonSchema {
  if (section.items && !Array.isArray(section.items)) return section.items as JsonSchema;
  if (section.additionalProperties && typeof section.additionalProperties === 'object') {
    return section.additionalProperties as JsonSchema;
  }
  return section;
}
