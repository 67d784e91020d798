import type { RockImage, UploadUrlResponse } from '@rock-of-ages/contract';
import sharp from 'sharp';
import { request, type ApiResponse } from './test-server.js';

type Server = { baseUrl: string };

/** A JPEG photo taken somewhere: EXIF with a GPS position (London), as phones write it. */
export function jpegWithLocation(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 120, g: 90, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Rockphone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
}

/** Whether EXIF data holds a GPS position: the GPS IFD's pointer tag (0x8825) in either byte order. */
export async function hasLocation(file: Buffer): Promise<boolean> {
  const { exif } = await sharp(file).metadata();
  return exif !== undefined && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

export async function dimensionsOf(file: Buffer): Promise<{ format: string | undefined; width: number | undefined; height: number | undefined }> {
  const { format, width, height } = await sharp(file).metadata();
  return { format, width, height };
}

export async function askUploadUrl(server: Server, token: string, rockId: number, fileType = 'image/jpeg', fileName = 'rock.jpg'): Promise<ApiResponse<UploadUrlResponse>> {
  return request<UploadUrlResponse>(server, 'POST', '/rock-images/upload-url', { token, body: { rock_id: rockId, file_name: fileName, file_type: fileType } });
}

/** The browser's PUT to the upload URL, as the course's client sends it. */
export async function putFile(url: string, bytes: Buffer, contentType: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes });
  return { status: response.status, text: await response.text() };
}

/** Polls the photo, as the course's client does, until it is no longer processing; the test's timeout bounds the wait. */
export async function pollUntilProcessed(server: Server, token: string, imageId: number): Promise<ApiResponse<RockImage>> {
  for (;;) {
    const response = await request<RockImage>(server, 'GET', `/rock-images/${imageId}`, { token });
    if (response.status !== 200 || response.body.status !== 'processing') return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The file behind a URL of a photo; a URL the photo does not have yet (null) fails the test. */
export async function fetchFile(url: string | null): Promise<{ status: number; contentType: string | null; bytes: Buffer }> {
  if (url === null) throw new Error('the photo has no URL for that file');
  const response = await fetch(url);
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}
