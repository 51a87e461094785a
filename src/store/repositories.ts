import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { AuditRepo } from './repos/audit.js';
import { BatchesRepo } from './repos/batches.js';
import { ConnectionsRepo } from './repos/connections.js';
import { CredentialsRepo } from './repos/credentials.js';
import { CursorsRepo } from './repos/cursors.js';
import { IdMapRepo } from './repos/id-map.js';
import { LeasesRepo } from './repos/leases.js';
import { RunsRepo } from './repos/runs.js';
import type { Database } from './schema.js';

/** Every repository bound to one handle: the pool, or a transaction (see Store.transaction). */
export class Repositories {
  readonly connections: ConnectionsRepo;
  readonly credentials: CredentialsRepo;
  readonly cursors: CursorsRepo;
  readonly idMap: IdMapRepo;
  readonly runs: RunsRepo;
  readonly batches: BatchesRepo;
  readonly audit: AuditRepo;
  readonly leases: LeasesRepo;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.connections = new ConnectionsRepo(db, clock);
    this.credentials = new CredentialsRepo(db, clock);
    this.cursors = new CursorsRepo(db, clock);
    this.idMap = new IdMapRepo(db, clock);
    this.runs = new RunsRepo(db, clock);
    this.batches = new BatchesRepo(db, clock);
    this.audit = new AuditRepo(db);
    this.leases = new LeasesRepo(db, clock);
  }
}
