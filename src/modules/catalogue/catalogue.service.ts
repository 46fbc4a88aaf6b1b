/**
 * The public catalogue of departments and their services (P2.3 grows it with the fields
 * each service needs; see the SSO issue). Seeding is audited like any other change.
 */
import type { Database } from '../../kernel/db/database.ts';
import type { AuditService } from '../audit/index.ts';
import { demoCatalogue } from './catalogue.demo.ts';
import * as repo from './catalogue.repository.ts';
import { lockForTransaction } from '../../kernel/locks.ts';

export interface CatalogueService {
  list(): Promise<repo.DepartmentRow[]>;
  /** Seeds the demo catalogue if there are no departments; returns whether it did. */
  seedDemoIfEmpty(): Promise<boolean>;
}

export function createCatalogueService(deps: { db: Database; audit: AuditService }): CatalogueService {
  return {
    list: () => repo.listDepartments(deps.db),
    seedDemoIfEmpty: () =>
      deps.db.tx(async (q) => {
        // Serialise concurrent first starts of several processes.
        await lockForTransaction(q, 'catalogueSeed');
        if ((await repo.countDepartments(q)) > 0) return false;
        let services = 0;
        for (const [i, d] of demoCatalogue.entries()) {
          const id = await repo.insertDepartment(q, d.slug, d.name, i);
          for (const [j, s] of d.services.entries()) await repo.insertService(q, id, s, j);
          services += d.services.length;
        }
        await deps.audit.append(q, {
          actor: { type: 'system', id: 'seed' },
          action: 'catalogue.demo_seeded',
          detail: { departments: demoCatalogue.length, services },
        });
        return true;
      }),
  };
}
