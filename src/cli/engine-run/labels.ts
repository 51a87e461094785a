import { KIND_BY_STREAM_KEY, STREAM_KEYS, type StreamKey } from '../../config/index.js';
import type { EntityKind } from '../../sync/index.js';

/** The config's stream names (`vendors`, `vendorContacts`, …) for engine kinds, as users know them. */
export const STREAM_LABEL: Readonly<Record<EntityKind, StreamKey>> = Object.fromEntries(
  STREAM_KEYS.map((key) => [KIND_BY_STREAM_KEY[key], key]),
) as Record<EntityKind, StreamKey>;
