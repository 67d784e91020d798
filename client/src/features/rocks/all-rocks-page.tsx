import { useDocumentTitle } from '../../lib/use-document-title';
import { useRockList } from './api/get-rocks';
import { RocksView } from './rocks-view';

export function AllRocksPage() {
  useDocumentTitle('All Rocks');
  const rocks = useRockList('everyone');
  return (
    <section>
      <hgroup>
        <h1>All Rocks</h1>
        <p>Every rock in the collection, and who collected it.</p>
      </hgroup>
      <RocksView list={rocks} />
    </section>
  );
}
