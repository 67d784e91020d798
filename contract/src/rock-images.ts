import { z } from 'zod/mini';
import { idField, requiredOr, storedText } from './storable-fields.js';

/** Photo types the API takes, recognised by their bytes as well as their declared type. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];
/** The largest photo, enforced where the upload lands (the signed URL for S3, the receiving route locally). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGES_PER_ROCK = 5;
/** How long an upload URL stays valid. */
export const UPLOAD_URL_EXPIRES_SECONDS = 300;
export const MAX_FILE_NAME_LENGTH = 255;
/** The longest side of each thumbnail, in pixels; smaller photos are not enlarged. */
export const THUMBNAIL_SIZES = { small: 150, medium: 400, large: 1024 } as const;
export type ThumbnailSize = keyof typeof THUMBNAIL_SIZES;

export const IMAGE_STATUSES = ['processing', 'ready', 'failed'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

const TYPES_TEXT = 'image/jpeg, image/png or image/webp';

/** An id as a JSON number or its digits as a string, as the course's client sends `rock_id`. */
const rowId = (field: string) => idField(`${field} is required`, `${field} must be an id`);

/** A photo's size in bytes, within the limit. */
const fileSize = z.int(requiredOr('file_size is required: the number of bytes uploaded', 'file_size must be a whole number of bytes')).check(
  z.minimum(1, 'file_size must be at least 1 byte'),
  z.maximum(MAX_IMAGE_BYTES, `file_size must be at most ${MAX_IMAGE_BYTES} bytes (10 MB)`),
);

/** `POST /rock-images/upload-url`: where to upload a photo of one of the caller's rocks. */
export const uploadUrlBody = z.object(
  {
    rock_id: rowId('rock_id').check(z.describe('The id of one of your rocks.')),
    file_name: storedText('file_name', MAX_FILE_NAME_LENGTH, "The photo's file name, as the browser knows it."),
    file_type: z.enum(ACCEPTED_IMAGE_TYPES, requiredOr(`file_type is required: ${TYPES_TEXT}`, `file_type must be ${TYPES_TEXT}`)).check(
      z.describe('The Content-Type the upload will be sent with.'),
    ),
    // Optional (the course's client sends none): when given, an S3 upload URL is signed for that exact size.
    file_size: z.optional(fileSize.check(z.describe('The size of the file to upload, in bytes; an S3 upload URL is then signed for that size.'))),
  },
  { error: 'The request body must be a JSON object with rock_id, file_name and file_type' },
);
export type UploadUrlRequest = z.input<typeof uploadUrlBody>;

/** The answer to `POST /rock-images/upload-url`: PUT the file to `presigned_url` with its Content-Type before `expires_in` seconds pass. */
export const uploadUrlResponse = z
  .object({ presigned_url: z.string(), file_key: z.string(), image_id: z.int(), expires_in: z.int() })
  .check(z.meta({ id: 'UploadUrl', description: 'A signed, expiring URL to PUT the photo to.' }));
export type UploadUrlResponse = z.infer<typeof uploadUrlResponse>;

/** `POST /rock-images/:id/confirm-upload`: the browser says the PUT is done, and how many bytes it sent. */
export const confirmUploadBody = z.object(
  {
    file_size: fileSize,
  },
  { error: 'The request body must be a JSON object with file_size' },
);

/** `GET /rock-images?rock_id=N`: the photos of one rock. */
export const listRockImagesQuery = z.object({ rock_id: rowId('rock_id') });

/** `/rock-images/:id`: any text reaches the route, which answers 404 for what is no id. */
export const rockImageParams = z.object({ id: z.string().check(z.describe('The id of a photo.')) });

/** `GET /photos/:folder/:file`: a served file (no token: an `<img>` sends none); the store checks the key's shape. */
export const photoFileParams = z.object({ folder: z.string(), file: z.string() });

/** `PUT /uploads/:name?expires&signature`: the local store's signed upload URL. */
export const uploadParams = z.object({ name: z.string() });
export const uploadQuery = z.object({ expires: z._default(z.string(), ''), signature: z._default(z.string(), '') });

/** A photo of a rock: its served files (null until processed), when it was uploaded, and how far processing got. */
export const rockImage = z
  .object({
    id: z.int(),
    rock: z.int(),
    original_url: z.nullable(z.string()).check(z.describe('The photo as uploaded, with its location and other metadata removed; null until processed.')),
    thumbnail_small_url: z.nullable(z.string()),
    thumbnail_medium_url: z.nullable(z.string()),
    thumbnail_large_url: z.nullable(z.string()),
    uploaded_at: z.string(),
    file_size: z.nullable(z.int()),
    status: z.enum(IMAGE_STATUSES),
    failure_reason: z.nullable(z.string()).check(z.describe('Why a photo could not be used (status "failed"); null otherwise.')),
  })
  .check(z.meta({ id: 'RockImage', description: 'A photo of a rock and its thumbnails.' }));
export type RockImage = z.infer<typeof rockImage>;

export const rockImageList = z.array(rockImage).check(z.describe("A rock's photos, oldest first."));
