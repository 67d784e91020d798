import { z } from 'zod';
import { parseId, storable } from '../common-schemas.js';

/** The photo limits, shared by validation, the stores, the thumbnail job and the documentation. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];
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

const requiredOr = (missing: string, wrongType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrongType),
});

/** An id as a JSON number or its digits as a string, as the course's client sends `rock_id`. */
const rowId = (field: string) =>
  z.union([z.number(), z.string()], requiredOr(`${field} is required`, `${field} must be an id`)).transform((value, ctx) => {
    const id = parseId(value);
    if (id === undefined) {
      ctx.addIssue({ code: 'custom', message: `${field} must be an id` });
      return z.NEVER;
    }
    return id;
  });

const fileSize = z
  .number(requiredOr('file_size is required: the number of bytes uploaded', 'file_size must be a number of bytes'))
  .int('file_size must be a whole number of bytes')
  .min(1, 'file_size must be at least 1 byte')
  .max(MAX_IMAGE_BYTES, `file_size must be at most ${MAX_IMAGE_BYTES} bytes (10 MB)`);

export const uploadUrlBody = z.object(
  {
    rock_id: rowId('rock_id'),
    file_name: z
      .string(requiredOr('file_name is required', 'file_name must be text'))
      .trim()
      .min(1, 'file_name must not be empty')
      .max(MAX_FILE_NAME_LENGTH, `file_name must be at most ${MAX_FILE_NAME_LENGTH} characters`)
      .refine(...storable('file_name')),
    file_type: z.enum(ACCEPTED_IMAGE_TYPES, requiredOr(`file_type is required: ${TYPES_TEXT}`, `file_type must be ${TYPES_TEXT}`)),
    // Optional (the course's client sends none): when given, an S3 upload URL is signed for that exact size.
    file_size: fileSize.optional(),
  },
  { error: 'The request body must be a JSON object with rock_id, file_name and file_type' },
);

export const uploadUrlResponse = z.object({
  presigned_url: z.string(),
  file_key: z.string(),
  image_id: z.number(),
  expires_in: z.number(),
});

export const confirmUploadBody = z.object(
  {
    file_size: fileSize,
  },
  { error: 'The request body must be a JSON object with file_size' },
);

export const listRockImagesQuery = z.object({ rock_id: rowId('rock_id') });

export const rockImageParams = z.object({ id: z.string() });

/** `GET /photos/:folder/:file`: a served file; the store checks the key's shape. */
export const photoFileParams = z.object({ folder: z.string(), file: z.string() });
/** The file's bytes, sent as they are. */
export const photoFileBody = z.instanceof(Buffer);

/** `PUT /uploads/:name?expires&signature`: the local store's signed upload URL. */
export const uploadParams = z.object({ name: z.string() });
export const uploadQuery = z.object({ expires: z.string().default(''), signature: z.string().default('') });

export const rockImageSchema = z.object({
  id: z.number(),
  rock: z.number(),
  /** The photo as uploaded, with its location and other metadata removed; null until processed. */
  original_url: z.string().nullable(),
  thumbnail_small_url: z.string().nullable(),
  thumbnail_medium_url: z.string().nullable(),
  thumbnail_large_url: z.string().nullable(),
  uploaded_at: z.string(),
  file_size: z.number().nullable(),
  status: z.enum(IMAGE_STATUSES),
  /** Why a photo could not be used (status "failed"); null otherwise. */
  failure_reason: z.string().nullable(),
});

export type RockImageJson = z.infer<typeof rockImageSchema>;
