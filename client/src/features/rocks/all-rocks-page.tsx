import { useRocks } from './api/get-rocks';
import { RockCard } from './rock-card';
import { RocksView } from './rocks-view';

export function AllRocksPage() {
  const rocks = useRocks('everyone');
  return (
    <section>
      <title>All Rocks · Rock of Ages</title>
      <hgroup>
        <h1>All Rocks</h1>
        <p>Every rock in the collection, and who collected it.</p>
      </hgroup>
      <RocksView query={rocks} renderRock={(rock) => <RockCard rock={rock} />} />
    </section>
  );
}
