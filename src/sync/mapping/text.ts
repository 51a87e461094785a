/** Text helpers that respect characters: no half emoji, no split accent. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `maxLength` UTF-16 code units (the unit HubSpot's limits are most likely
 * counted in — UNCONFIRMED) without splitting a grapheme: an emoji, a flag or a letter with a combining
 * accent is kept whole or dropped whole.
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 0) return '';
  // Segment only a window around the cut: grapheme rules are local, so boundaries a little way into
  // the window are exact, and a 65,536-character value is not segmented from its start.
  // Regional-indicator pairs (flags) are the exception — they pair up from the start of the run — so
  // the window also starts before any run of them.
  let start = Math.max(0, maxLength - 256);
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start -= 1;
  while (start >= 2 && /\uD83C[\uDDE6-\uDDFF]/.test(text.slice(start - 2, start))) start -= 2;
  const window = text.slice(start, Math.min(text.length, maxLength + 64));
  let end = start;
  for (const { index, segment } of segmenter.segment(window)) {
    if (start + index + segment.length > maxLength) break;
    end = start + index + segment.length;
  }
  return text.slice(0, end);
}

/** A short, single-line excerpt of a value for warnings and reasons. */
export function excerpt(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > max ? `${truncateText(oneLine, max)}…` : oneLine);
}
