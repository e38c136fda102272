package hrm.train.log;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The reference's default names: project {@code "<data dir, capitalised> ACT-torch"}, run
 * {@code "<model class> <adjective>-<noun>"} (the reference draws the slug with coolname; ours comes from a
 * caller's generator, so a seeded one repeats).
 */
public final class RunNames {
    private RunNames() {}

    private static final List<String> ADJECTIVES = List.of(
            "amber", "brave", "bright", "calm", "clever", "cosmic", "crimson", "curious", "daring", "dapper",
            "eager", "electric", "elegant", "fearless", "fluffy", "gentle", "giant", "glossy", "golden", "graceful",
            "happy", "hidden", "honest", "humble", "icy", "jolly", "keen", "kind", "lively", "lucky",
            "magic", "mellow", "mighty", "misty", "modest", "nimble", "noble", "olive", "patient", "polite",
            "proud", "quick", "quiet", "rapid", "rustic", "scarlet", "shiny", "silent", "silver", "smart",
            "snowy", "solid", "spry", "steady", "sturdy", "sunny", "swift", "tidy", "tireless", "vivid",
            "warm", "wise", "witty", "zesty");
    private static final List<String> NOUNS = List.of(
            "albatross", "antelope", "badger", "beaver", "bison", "cheetah", "condor", "coyote", "crane", "dolphin",
            "eagle", "falcon", "ferret", "finch", "flamingo", "fox", "gazelle", "gecko", "gibbon", "heron",
            "hedgehog", "ibis", "jackal", "jaguar", "kestrel", "koala", "lemur", "leopard", "lynx", "magpie",
            "marmot", "meerkat", "mongoose", "moose", "narwhal", "ocelot", "octopus", "orca", "osprey", "otter",
            "owl", "panda", "pelican", "penguin", "puffin", "quail", "rabbit", "raven", "salamander", "seal",
            "sparrow", "squirrel", "stork", "swan", "tapir", "tiger", "toucan", "turtle", "vulture", "walrus",
            "weasel", "wombat", "yak", "zebra");

    /**
     * {@code os.path.basename(data_path).capitalize() + " ACT-torch"}: the first letter upper case, the rest
     * lower case, as Python's str.capitalize does. A trailing slash is ignored (Python would give an empty name).
     */
    public static String defaultProject(String dataPath) {
        String p = dataPath.replace('\\', '/');
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        String base = p.substring(p.lastIndexOf('/') + 1);
        if (base.isEmpty() || base.equals(".") || base.equals(".."))
            throw new IllegalArgumentException("data_path '" + dataPath + "' has no directory name to name the project after");
        int first = base.offsetByCodePoints(0, 1);
        return base.substring(0, first).toUpperCase(Locale.ROOT) + base.substring(first).toLowerCase(Locale.ROOT)
                + " ACT-torch";
    }

    /** {@code arch.name.split('@')[-1] + " " + slug}: e.g. "HierarchicalReasoningModel_ACTV1 swift-otter". */
    public static String defaultRun(String archName, RandomGenerator rng) {
        return archName.substring(archName.lastIndexOf('@') + 1) + " " + slug(rng);
    }

    /** An adjective-noun pair; about 4,000 of them. */
    static String slug(RandomGenerator rng) {
        return ADJECTIVES.get(rng.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(rng.nextInt(NOUNS.size()));
    }
}
