import type { Rock, RockType } from '@rock-of-ages/contract';

export const SAMPLE_TOKEN = 'abcdef123456';

export const sampleTypes: RockType[] = [
  { id: 1, label: 'Metamorphic' },
  { id: 2, label: 'Igneous' },
  { id: 3, label: 'Sedimentary' },
];

export const ernestina: Rock = {
  id: 1,
  name: 'Ernestina',
  weight: '1.30',
  type: { id: 3, label: 'Sedimentary' },
  user: { id: 2, first_name: 'Jane', last_name: 'Smith' },
  images: [],
};

export const orpha: Rock = {
  id: 2,
  name: 'Orpha',
  weight: '0.50',
  type: { id: 1, label: 'Metamorphic' },
  user: { id: 1, first_name: 'John', last_name: 'Doe' },
  images: [],
};
