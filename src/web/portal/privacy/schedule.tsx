/**
 * The retention schedule (P6.2.schedule), as the privacy page and "My account" show it: every
 * kind of record kept about a person and for how long, read from the declarations the purge
 * enforces (retention module), in the reader's language.
 */
import { subjectData } from '../../../modules/inventory/index.ts';
import { keptForText, personSchedule } from '../../../modules/retention/index.ts';
import type { PageContext } from '../../layout.tsx';

const rows = personSchedule(subjectData);

export function RetentionSchedule(props: { ctx: PageContext; id?: string }) {
  const { ctx } = props;
  const { t } = ctx;
  const id = props.id ?? 'retention-schedule';
  return (
    <section aria-labelledby={id} class="schedule">
      <h3 id={id}>{t('retention.schedule.title')}</h3>
      <p>{t('retention.schedule.intro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('retention.schedule.what')}</th>
            <th scope="col">{t('retention.schedule.howLong')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.what[ctx.locale]}</td>
              <td>{keptForText(r, ctx.locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{t('retention.schedule.holds')}</p>
    </section>
  );
}
