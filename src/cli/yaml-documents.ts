/**
 * Multi-document YAML as kubectl reads it (YAML 1.1 scalars, so `yes`/`on` are booleans and
 * timestamps stay strings), with a map from API field paths back to source lines so problems can
 * be reported as `file:line`.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type Tags,
} from 'yaml';
import { parseFieldPath, type PathSegment } from '../validation/field-path.ts';

/** One document of a YAML stream. */
export interface SourceDocument {
  /** The document as plain JSON-like data. */
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /**
   * The line of `field` (API path notation) below `base`: the field's key, or, when the field is
   * absent (e.g. a missing required field), the nearest ancestor that exists.
   */
  lineOf(field: string, base?: readonly PathSegment[]): number;
}

/** A YAML syntax error, with its 1-based position. */
export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

// go-yaml v2 (behind kubectl) resolves these YAML 1.1 types to strings when decoding to JSON.
const stringLikeTags = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

function kubectlTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object') return true;
    // Sexagesimal numbers (`1:30`) are YAML 1.1 only in theory; go-yaml reads them as strings.
    return !stringLikeTags.has(tag.tag) && !('format' in tag && tag.format === 'TIME');
  });
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function nodeLine(node: unknown, lines: LineCounter): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range ? lines.linePos(range[0]).line : undefined;
}

function makeDocument(document: Document.Parsed, lines: LineCounter): SourceDocument {
  const line = nodeLine(document.contents, lines) ?? lines.linePos(document.range[0]).line;
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(document) : node);
  return {
    // The default alias limit (100) stops alias-expansion bombs.
    value: document.toJS() as unknown,
    line,
    lineOf(field, base = []) {
      let node = resolve(document.contents);
      let found = line;
      for (const segment of [...base, ...parseFieldPath(field)]) {
        if (isMap(node)) {
          const pair = node.items.find((item) => keyText(item.key) === String(segment));
          if (pair === undefined) break;
          found = nodeLine(pair.key, lines) ?? found;
          node = resolve(pair.value);
        } else if (isSeq(node) && typeof segment === 'number') {
          const item: unknown = node.items[segment];
          if (item === undefined) break;
          found = nodeLine(item, lines) ?? found;
          node = resolve(item);
        } else {
          break;
        }
      }
      return found;
    },
  };
}

/**
 * Parses every document of `text`; empty (null) documents are skipped. Throws YamlSyntaxError at the
 * first syntax error (including duplicate keys, which kubectl also refuses).
 */
export function parseYamlDocuments(text: string): SourceDocument[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter: lines,
    version: '1.1',
    customTags: kubectlTags,
    prettyErrors: false,
  });
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error !== undefined) {
      const position = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      throw new YamlSyntaxError(error.message, position.line, position.col);
    }
  }
  return documents
    .map((document) => makeDocument(document, lines))
    .filter((document) => document.value !== null && document.value !== undefined);
}
