import { useId, type ChangeEvent } from 'react';
import { ErrorNotice, SuccessNotice } from '../../components/status';
import type { Rock } from '@rock-of-ages/contract';
import { PHOTO_TYPES, useUploadRockPhoto } from './api/upload-rock-photo';

/** A photo for one of my rocks: pick a file, watch it upload, then it shows on the card. */
export function AddPhoto({ rock }: { rock: Rock }) {
  const upload = useUploadRockPhoto(rock.id);
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const { progress } = upload;

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    // Cleared, so that choosing the same file again (after an error) is a change too.
    event.currentTarget.value = '';
    if (file !== undefined) upload.mutate(file);
  };

  return (
    <div className="add-photo">
      <label htmlFor={inputId}>{(rock.images?.length ?? 0) === 0 ? `Add a photo of ${rock.name}` : `Add another photo of ${rock.name}`}</label>
      <input id={inputId} type="file" accept={PHOTO_TYPES.join(',')} aria-describedby={hintId} disabled={upload.isPending} onChange={onChange} />
      <small id={hintId}>JPEG, PNG or WebP, up to 10 MB.</small>
      {progress?.step === 'uploading' && (
        <progress value={progress.fraction} max={1} aria-label={`Uploading the photo of ${rock.name}`}>
          {Math.round(progress.fraction * 100)}%
        </progress>
      )}
      {progress?.step === 'processing' && (
        <p className="status" role="status" aria-busy="true">
          Making thumbnails…
        </p>
      )}
      {upload.isError && <ErrorNotice error={upload.error} />}
      {upload.isSuccess && <SuccessNotice>The photo of {rock.name} is on its card.</SuccessNotice>}
    </div>
  );
}
