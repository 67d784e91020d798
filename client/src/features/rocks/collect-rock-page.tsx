import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { SelectField, TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { useCollectRock } from './api/collect-rock';
import { useRockTypes } from './api/get-rock-types';
import type { MyRocksState } from './my-rocks-page';
import { MAX_NAME_LENGTH, MAX_WEIGHT, MIN_WEIGHT, rockFormSchema, type RockForm, type RockFormInput } from './rock-form-schema';

export function CollectRockPage() {
  const navigate = useNavigate();
  const types = useRockTypes();
  const collect = useCollectRock();
  const { register, handleSubmit, formState } = useForm<RockFormInput, unknown, RockForm>({
    resolver: zodResolver(rockFormSchema),
    defaultValues: { name: '', weight: '', typeId: '' },
  });
  const { errors } = formState;

  const onSubmit = handleSubmit((rock) =>
    collect.mutate(rock, {
      onSuccess: (saved) => navigate(paths.myRocks, { state: { collected: saved.name } satisfies MyRocksState }),
    }),
  );

  return (
    <section className="narrow">
      <title>Collect a Rock · Rock of Ages</title>
      <hgroup>
        <h1>Collect a Rock</h1>
        <p>Name it, weigh it, and say what kind of rock it is.</p>
      </hgroup>
      {collect.isError && <ErrorNotice error={collect.error} />}
      {types.isError && <ErrorNotice error={types.error} onRetry={() => void types.refetch()} />}
      <form onSubmit={onSubmit} noValidate>
        <TextField
          label="Name"
          autoComplete="off"
          error={errors.name?.message}
          hint={`Up to ${MAX_NAME_LENGTH} characters.`}
          {...register('name')}
        />
        <TextField
          label="Weight in kg"
          inputMode="decimal"
          error={errors.weight?.message}
          hint={`From ${MIN_WEIGHT} to ${MAX_WEIGHT} kg, with up to two decimals.`}
          {...register('weight')}
        />
        <SelectField
          label="Type"
          disabled={!types.isSuccess}
          aria-busy={types.isPending}
          error={errors.typeId?.message}
          {...register('typeId')}
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
