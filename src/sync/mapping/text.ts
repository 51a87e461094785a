/** Text helpers that respect characters: no half emoji, no split accent. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `maxLength` UTF-16 code units (the unit HubSpot's limits are most likely
 * counted in — UNCONFIRMED) without splitting a grapheme: an emoji, a flag or a letter with a combining
 * accent is kept whole or dropped whole.
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > maxLength) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** A short, single-line excerpt of a value for warnings and reasons. */
export function excerpt(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > max ? `${truncateText(oneLine, max)}…` : oneLine);
}
