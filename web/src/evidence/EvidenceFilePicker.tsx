import { type ChangeEvent, type DragEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The file input, inside a box a file can also be dropped on. The input stays the way to do it with a keyboard
 * or a screen reader; the drop is a shortcut for a mouse.
 */
export function EvidenceFilePicker({ onFile, invalid }: { onFile: (file: File) => void; invalid: boolean }) {
  const { t } = useTranslation('evidence');
  const ids = { file: useId(), hint: useId() };
  const [over, setOver] = useState(false);

  useEffect(() => {
    // A file dropped beside the box would otherwise be opened by the browser in place of the page.
    const keep = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) onFile(file);
    // The same file chosen again (after fixing it on disk) must be checked again.
    event.target.value = '';
  };
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  const dragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop is a mouse shortcut; the input inside is the accessible way.
    <div
      className={over ? 'evidence-drop evidence-drop-over' : 'evidence-drop'}
      onDrop={drop}
      onDragOver={dragOver}
      onDragLeave={() => setOver(false)}
      data-testid="evidence-drop"
    >
      <div className="field">
        <label htmlFor={ids.file}>{t('file.label')}</label>
        <input
          id={ids.file}
          type="file"
          accept="application/json,application/vnd.detention-ledger.evidence+json,.json"
          onChange={choose}
          aria-invalid={invalid}
          aria-describedby={ids.hint}
        />
        <small id={ids.hint}>{t('file.hint')}</small>
      </div>
      {over && <p className="evidence-drop-label">{t('file.drop')}</p>}
    </div>
  );
}
