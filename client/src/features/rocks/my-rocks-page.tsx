import { useLocation } from 'react-router';
import { SuccessNotice } from '../../components/status';
import { useRocks } from './api/get-rocks';
import { DeleteRockButton } from './delete-rock-button';
import { RockCard } from './rock-card';
import { RocksView } from './rocks-view';

/** Set by the Collect a Rock page when it sends the collector here. */
export interface MyRocksState {
  collected?: string;
}

export function MyRocksPage() {
  const rocks = useRocks('mine');
  const { collected } = (useLocation().state ?? {}) as MyRocksState;
  return (
    <section>
      <title>My Rocks · Rock of Ages</title>
      <hgroup>
        <h1>My Rocks</h1>
        <p>The rocks you have collected.</p>
      </hgroup>
      {collected !== undefined && <SuccessNotice>{collected} was added to your collection.</SuccessNotice>}
      <RocksView query={rocks} renderRock={(rock) => <RockCard rock={rock} actions={<DeleteRockButton rock={rock} />} />} />
    </section>
  );
}
