/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), used to check what `/metrics`
 * serves: every line is a HELP, a TYPE, a comment, blank, or a sample that matches the grammar, and every
 * sample belongs to a family announced by HELP and TYPE before it.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  help?: string;
  type?: string;
  readonly samples: Sample[];
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Go's ParseFloat decides (Prometheus uses it): decimals, and NaN/Inf/Infinity in any letter case
// (prom-client writes "Nan").
const VALUE =
  '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[nN][aA][nN]|[+-]?[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)';
const SAMPLE = new RegExp(
  `^(${METRIC_NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: (-?\\d+))?$`,
);
const LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');
const HELP = new RegExp(`^# HELP (${METRIC_NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
};

export class ExpositionError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (/^\+?inf/.test(lower)) return Number.POSITIVE_INFINITY;
  if (lower.startsWith('-inf')) return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function unquoteLabel(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["\\n])/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

/** Parses the exposition text; throws `ExpositionError` naming the first offending line. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let found = families.get(name);
    if (found === undefined) {
      found = { name, samples: [] };
      families.set(name, found);
    }
    return found;
  };
  const owner = (sampleName: string): Family | undefined => {
    const direct = families.get(sampleName);
    if (direct?.type !== undefined && (SUFFIXES[direct.type] ?? ['']).includes('')) return direct;
    for (const [type, suffixes] of Object.entries(SUFFIXES)) {
      for (const suffix of suffixes) {
        if (suffix === '' || !sampleName.endsWith(suffix)) continue;
        const candidate = families.get(sampleName.slice(0, -suffix.length));
        if (candidate?.type === type) return candidate;
      }
    }
    return undefined;
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const at = index + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const help = HELP.exec(line);
      if (help?.[1] !== undefined) {
        const target = family(help[1]);
        if (target.help !== undefined) throw new ExpositionError(at, `second HELP for ${help[1]}`);
        target.help = help[2] ?? '';
        return;
      }
      const type = TYPE.exec(line);
      if (type?.[1] !== undefined) {
        const target = family(type[1]);
        if (target.type !== undefined || target.samples.length > 0) {
          throw new ExpositionError(at, `TYPE for ${type[1]} must come once, before its samples`);
        }
        target.type = type[2];
        return;
      }
      if (/^# (HELP|TYPE)\b/.test(line)) throw new ExpositionError(at, `malformed ${line.slice(2, 6)} line`);
      return; // a plain comment
    }
    const match = SAMPLE.exec(line);
    if (match?.[1] === undefined || match[3] === undefined) {
      throw new ExpositionError(at, `not a valid sample: ${line}`);
    }
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) {
      const [, name, value] = label;
      if (name === undefined || value === undefined) continue;
      if (name in labels) throw new ExpositionError(at, `label ${name} repeated`);
      labels[name] = unquoteLabel(value);
    }
    const target = owner(match[1]);
    if (target === undefined) throw new ExpositionError(at, `sample ${match[1]} has no TYPE before it`);
    target.samples.push({ name: match[1], labels, value: parseValue(match[3]) });
  });
  for (const found of families.values()) {
    if (found.help === undefined || found.type === undefined) {
      throw new ExpositionError(
        lines.length,
        `family ${found.name} lacks ${found.help === undefined ? 'HELP' : 'TYPE'}`,
      );
    }
  }
  return families;
}

/** The value of one sample, matched by name and exact label set; undefined when absent. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels).sort();
  for (const found of families.values()) {
    for (const sample of found.samples) {
      if (sample.name !== name) continue;
      const have = Object.entries(sample.labels).sort();
      if (JSON.stringify(have) === JSON.stringify(wanted)) return sample.value;
    }
  }
  return undefined;
}
