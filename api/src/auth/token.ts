import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 40 hexadecimal characters, like Django REST framework's tokens. */
export function generateToken(): string {
  return randomBytes(20).toString('hex');
}

export function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
