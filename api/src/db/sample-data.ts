/**
 * The course's sample data (its fixtures): two users whose password is "password", their tokens,
 * five rock types and three rocks. The types are also the reference data every deployment needs.
 */
export const SAMPLE_PASSWORD_HASH = 'pbkdf2_sha256$600000$PinrrOrk7ch9XdNNbooLC8$aQEROPFKhevn3p+wFDZXBK2Ozd0YeXouhnFBAZ7LV0w=';

export const sampleUsers = [
  { id: 1, username: 'john_doe', email: 'john@example.com', first_name: 'John', last_name: 'Doe', date_joined: '2023-01-01T12:00:00Z' },
  { id: 2, username: 'jane_smith', email: 'jane@example.com', first_name: 'Jane', last_name: 'Smith', date_joined: '2023-01-10T14:00:00Z' },
].map((user) => ({
  ...user,
  password: SAMPLE_PASSWORD_HASH,
  is_superuser: 0 as const,
  is_staff: 0 as const,
  is_active: 1 as const,
  last_login: null,
}));

export const sampleTokens = [
  { key: 'abcdef123456', user_id: 1, created: '2023-01-01T12:05:00Z' },
  { key: 'ghijkl789012', user_id: 2, created: '2023-01-10T14:05:00Z' },
];

export const sampleTypes = [
  { id: 1, label: 'Metamorphic' },
  { id: 2, label: 'Igneous' },
  { id: 3, label: 'Sedimentary' },
  { id: 4, label: 'Shale' },
  { id: 5, label: 'Basalt' },
];

export const sampleRocks = [
  { id: 1, user_id: 2, type_id: 3, name: 'Ernestina', weight: '1.30' },
  { id: 2, user_id: 1, type_id: 1, name: 'Orpha', weight: '0.50' },
  { id: 3, user_id: 2, type_id: 5, name: 'Sasha', weight: '0.29' },
];
