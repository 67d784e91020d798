import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorNotice } from '../../components/status';
import { useDeleteRock } from './api/delete-rock';
import type { Rock } from '@rock-of-ages/contract';

/** Delete, then a confirmation in place: nothing is deleted by a single stray click or key press. */
export function DeleteRockButton({ rock }: { rock: Rock }) {
  const [confirming, setConfirming] = useState(false);
  const deletion = useDeleteRock();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  // Keyboard users land on the safe choice when asked, and back on Delete when they cancel; before the
  // next paint, so that the focus never drops to the page in between.
  useLayoutEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (returnFocus.current) deleteRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const cancel = () => {
    returnFocus.current = true;
    deletion.reset();
    setConfirming(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !deletion.isPending) cancel();
  };

  if (!confirming) {
    return (
      <button ref={deleteRef} type="button" className="secondary outline" aria-label={`Delete ${rock.name}`} onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }

  return (
    <fieldset className="confirm-delete" onKeyDown={onKeyDown}>
      <legend>Delete {rock.name} for good?</legend>
      {/* Deleting again is the retry, so the notice needs no button of its own. */}
      {deletion.isError && <ErrorNotice error={deletion.error} />}
      <div className="button-row">
        <button ref={cancelRef} type="button" className="secondary" onClick={cancel} disabled={deletion.isPending}>
          Keep it
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => deletion.mutate(rock.id)}
          disabled={deletion.isPending}
          aria-busy={deletion.isPending}
        >
          {deletion.isPending ? 'Deleting…' : `Delete ${rock.name}`}
        </button>
      </div>
    </fieldset>
  );
}
