// One driver is installed at a time, process-wide: the tests of this assembly run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
