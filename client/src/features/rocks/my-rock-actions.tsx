import type { Rock } from '@rock-of-ages/contract';
import { AddPhoto } from './add-photo';
import { DeleteRockButton } from './delete-rock-button';

/** What I can do with one of my rocks: add a photo, or delete it. */
export function MyRockActions({ rock }: { rock: Rock }) {
  return (
    <>
      <AddPhoto rock={rock} />
      <DeleteRockButton rock={rock} />
    </>
  );
}
