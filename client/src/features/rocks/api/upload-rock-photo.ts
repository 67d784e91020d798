import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod/mini';
import { MESSAGES, request } from '../../../lib/api-client';
import { ApiError } from '../../../lib/api-error';
import { rockImage as rockImageSchema, type RockImage } from '@rock-of-ages/contract';
import { rockKeys } from './rock-query-keys';

/** What the API accepts (its limits; it checks them again). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** How often, and how many times, to ask whether the thumbnails are made. */
const POLL_INTERVAL_MS = 1_000;
const MAX_POLLS = 120;

const uploadUrlSchema = z.object({ presigned_url: z.string(), file_key: z.string(), image_id: z.number(), expires_in: z.number() });

/** Where an upload is: sending the file (with the share sent), or waiting for the thumbnails. */
export type PhotoProgress = { step: 'uploading'; fraction: number } | { step: 'processing' };

/** The reason a file cannot be a photo, before anything is sent; null when it can. */
export function refusePhoto(file: File): string | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return `${file.name} is not a JPEG, PNG or WebP image. Choose a photo in one of those formats.`;
  if (file.size > MAX_PHOTO_BYTES) return `${file.name} is larger than 10 MB. Choose a smaller photo, or shrink this one first.`;
  return null;
}

/** The PUT to the upload URL, with XMLHttpRequest: fetch reports no upload progress. */
function sendFile(url: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      if (xhr.status === 403) return reject(new ApiError('rejected', 'The upload link was refused or has expired. Please choose the photo again.', 403));
      if (xhr.status === 413) return reject(new ApiError('rejected', 'The photo is larger than 10 MB. Choose a smaller one.', 413));
      reject(new ApiError(xhr.status >= 500 ? 'server' : 'rejected', MESSAGES.server, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('network', MESSAGES.network));
    xhr.send(file);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the API has made the thumbnails, or says why it could not. */
async function waitUntilProcessed(imageId: number): Promise<RockImage> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const image = await request(`/rock-images/${imageId}`, { schema: rockImageSchema });
    if (image.status === 'ready') return image;
    if (image.status === 'failed') throw new ApiError('rejected', image.failure_reason ?? 'The photo could not be used. Try another one.');
    await pause(POLL_INTERVAL_MS);
  }
  throw new ApiError('unavailable', 'The photo is taking long to process. It will appear on the card once it is ready.');
}

/** Upload URL, PUT, confirmation, then polling until the thumbnails exist: the course's flow. */
export async function uploadRockPhoto(rockId: number, file: File, onProgress: (progress: PhotoProgress) => void): Promise<RockImage> {
  const refused = refusePhoto(file);
  if (refused !== null) throw new ApiError('rejected', refused);
  const upload = await request('/rock-images/upload-url', {
    method: 'POST',
    body: { rock_id: rockId, file_name: file.name, file_type: file.type, file_size: file.size },
    schema: uploadUrlSchema,
  });
  onProgress({ step: 'uploading', fraction: 0 });
  await sendFile(upload.presigned_url, file, (fraction) => onProgress({ step: 'uploading', fraction }));
  onProgress({ step: 'processing' });
  await request(`/rock-images/${upload.image_id}/confirm-upload`, { method: 'POST', body: { file_size: file.size }, schema: rockImageSchema });
  return waitUntilProcessed(upload.image_id);
}

export function useUploadRockPhoto(rockId: number) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<PhotoProgress | null>(null);
  const mutation = useMutation({
    mutationFn: (file: File) => uploadRockPhoto(rockId, file, setProgress),
    onSettled: () => {
      setProgress(null);
      // The rock's card shows its first photo: the lists bring it.
      return queryClient.invalidateQueries({ queryKey: rockKeys.all });
    },
  });
  return { ...mutation, progress };
}
