import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useGroups } from '../groups/useGroups.ts';
import { type BoardChange, type BoardQuery, today } from './board-query.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Which group the board counts, and the day its counts, chart mark and alerts are as of. */
export function BoardControls({ query, change }: { query: BoardQuery; change: (next: BoardChange) => void }) {
  const { t } = useTranslation('board');
  const groups = useGroups();
  const groupId = useId();
  const asOfId = useId();
  const known = groups.data ?? [];
  // A group named in a shared link is offered even before (or without) the list of groups.
  const choices = query.group && !known.includes(query.group) ? [query.group, ...known] : known;
  return (
    <div className="board-controls">
      <div className="field">
        <label htmlFor={groupId}>{t('controls.group')}</label>
        <select
          id={groupId}
          value={query.group ?? ''}
          onChange={(event) => change({ group: event.target.value || undefined })}
        >
          <option value="">{t('controls.allGroups')}</option>
          {choices.map((group) => (
            <option key={group} value={group}>
              {group}
            </option>
          ))}
        </select>
        {groups.isError && <small className="field-error">{t('controls.groupsFailed')}</small>}
      </div>
      <div className="field">
        <label htmlFor={asOfId}>{t('controls.asOf')}</label>
        <input
          id={asOfId}
          type="date"
          value={query.asOf === undefined ? today() : DAY.test(query.asOf) ? query.asOf : ''}
          onChange={(event) => change({ asOf: event.target.value || undefined })}
        />
      </div>
    </div>
  );
}
