package hrm.data.arc;

import java.nio.file.Path;
import java.util.List;

/**
 * One ARC task as read from its JSON file. The pairs keep the file's order of the "train" and
 * "test" lists (some files list "test" first): the reference builder adds examples in that order.
 */
public record ArcTask(String name, Path file, List<ArcPair> pairs) {
    public ArcTask {
        pairs = List.copyOf(pairs);
    }

    public List<ArcPair> demonstrations() {
        return pairs.stream().filter(p -> !p.test()).toList();
    }

    public List<ArcPair> tests() {
        return pairs.stream().filter(ArcPair::test).toList();
    }
}
