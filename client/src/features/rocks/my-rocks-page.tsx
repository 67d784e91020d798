import { useLocation } from 'react-router';
import { SuccessNotice } from '../../components/status';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useRockList } from './api/get-rocks';
import { MyRockActions } from './my-rock-actions';
import { RocksView } from './rocks-view';

/** Set by the Collect a Rock page when it sends the collector here. */
export interface MyRocksState {
  collected?: string;
}

export function MyRocksPage() {
  useDocumentTitle('My Rocks');
  const rocks = useRockList('mine');
  const { collected } = (useLocation().state ?? {}) as MyRocksState;
  return (
    <section>
      <hgroup>
        <h1>My Rocks</h1>
        <p>The rocks you have collected.</p>
      </hgroup>
      {collected !== undefined && <SuccessNotice>{collected} was added to your collection.</SuccessNotice>}
      <RocksView list={rocks} Actions={MyRockActions} />
    </section>
  );
}
