import { MAX_ROCK_NAME_LENGTH, MAX_WEIGHT, MIN_WEIGHT } from '@rock-of-ages/contract';
import { useNavigate } from 'react-router';
import { SelectField, TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useZodForm } from '../../lib/use-zod-form';
import { useCollectRock } from './api/collect-rock';
import { useRockTypes } from './api/get-rock-types';
import type { MyRocksState } from './my-rocks-page';
import { rockFormSchema } from './rock-form-schema';

export function CollectRockPage() {
  useDocumentTitle('Collect a Rock');
  const navigate = useNavigate();
  const types = useRockTypes();
  const collect = useCollectRock();
  const { errors, formProps } = useZodForm(rockFormSchema, (rock) =>
    collect.mutate(rock, {
      onSuccess: (saved) => navigate(paths.myRocks, { state: { collected: saved.name } satisfies MyRocksState }),
    }),
  );

  return (
    <section className="narrow">
      <hgroup>
        <h1>Collect a Rock</h1>
        <p>Name it, weigh it, and say what kind of rock it is.</p>
      </hgroup>
      {collect.isError && <ErrorNotice error={collect.error} />}
      {types.isError && <ErrorNotice error={types.error} onRetry={() => void types.refetch()} />}
      <form {...formProps}>
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          error={errors.name}
          hint={`Up to ${MAX_ROCK_NAME_LENGTH} characters.`}
        />
        <TextField
          label="Weight in kg"
          name="weight"
          inputMode="decimal"
          error={errors.weight}
          hint={`From ${MIN_WEIGHT} to ${MAX_WEIGHT} kg, with up to two decimals.`}
        />
        <SelectField
          label="Type"
          name="typeId"
          disabled={!types.isSuccess}
          aria-busy={types.isPending}
          error={errors.typeId}
        >
          <option value="">{types.isPending ? 'Loading types…' : 'Choose a type'}</option>
          {types.data?.map((type) => (
            <option key={type.id} value={type.id}>
              {type.label}
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={collect.isPending || !types.isSuccess} aria-busy={collect.isPending}>
          {collect.isPending ? 'Saving…' : 'Collect rock'}
        </button>
      </form>
    </section>
  );
}
