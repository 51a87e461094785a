import type { Clock } from '../../src/core/clock.js';
import type { Random } from '../../src/core/random.js';
import { AssociationStore } from './association-store.js';
import type { TokenRegistry } from './auth.js';
import { FaultInjector } from './faults.js';
import { ObjectStore } from './object-store.js';
import type { SimObjectType } from './object-types.js';
import type { ResolvedSettings } from './options.js';
import { PropertyStore } from './property-store.js';
import { RateLimiter } from './rate-limits.js';
import { RequestLog } from './request-log.js';

/** Everything one simulated portal holds; shared by the routes and the control API. */
export class SimState {
  settings: ResolvedSettings;
  readonly initialSettings: ResolvedSettings;
  readonly clock: Clock;
  readonly random: Random;
  readonly tokens: TokenRegistry;
  readonly properties = new PropertyStore();
  readonly objects = new ObjectStore();
  readonly associations = new AssociationStore();
  readonly rate: RateLimiter;
  readonly faults: FaultInjector;
  readonly log = new RequestLog();

  constructor(settings: ResolvedSettings, clock: Clock, random: Random, tokens: TokenRegistry) {
    this.settings = settings;
    this.initialSettings = settings;
    this.clock = clock;
    this.random = random;
    this.tokens = tokens;
    this.rate = new RateLimiter(settings.rateLimits.timeZone);
    this.faults = new FaultInjector(random);
  }

  now(): number {
    return this.clock.now();
  }

  iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Properties that hold unique values (upsert keys) plus `email` for contacts. */
  uniqueProps(type: SimObjectType): string[] {
    const names = this.properties.uniqueNames(type);
    if (type === 'contacts') names.push('email');
    return names;
  }

  /** Deterministic result order per the `batchResultOrder` setting. */
  order<T>(items: T[]): T[] {
    switch (this.settings.batchResultOrder) {
      case 'input':
        return items;
      case 'reversed':
        return items.reverse();
      default: {
        for (let i = items.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          const tmp = items[i] as T;
          items[i] = items[j] as T;
          items[j] = tmp;
        }
        return items;
      }
    }
  }

  /** Back to the start: data, counters, faults, the log and the settings given at start. */
  reset(): void {
    this.settings = this.initialSettings;
    this.rate.daily.setTimeZone(this.settings.rateLimits.timeZone);
    this.properties.reset();
    this.objects.reset();
    this.associations.reset();
    this.rate.clear();
    this.faults.clear();
    this.log.clear();
  }
}
