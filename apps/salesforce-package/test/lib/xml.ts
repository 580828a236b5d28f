import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value as written ('64.0', 'true'): metadata is text.
  parseTagValue: false,
  // Lists in metadata may hold one element; always read these as arrays.
  isArray: (name) =>
    [
      'applicationVisibilities',
      'classAccesses',
      'customPermissions',
      'customSettingAccesses',
      'fieldPermissions',
      'objectPermissions',
      'tabSettings',
      'tabs',
      'value',
      'flexiPageRegions',
      'itemInstances',
      'targets',
      'target',
      'types',
      'members',
    ].includes(name),
});

/** Parsed metadata XML: it has no static shape, so tests read it by element name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type XmlDocument = Record<string, any>;

/** Parses a metadata file; throws with the validator's message when it is not well-formed. */
export function readXml(file: string): XmlDocument {
  const text = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(`${file}: ${valid.err.msg} (line ${valid.err.line})`);
  }
  return parser.parse(text) as XmlDocument;
}

export function parseXmlText(text: string): XmlDocument {
  return parser.parse(text) as XmlDocument;
}

/** The single root element name of a parsed document (the `?xml` declaration aside). */
export function rootName(doc: XmlDocument): string {
  const names = Object.keys(doc).filter((key) => key !== '?xml');
  if (names.length !== 1) throw new Error(`expected one root element, found ${names.join(', ')}`);
  return names[0]!;
}
