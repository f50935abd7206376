namespace TaskPool.Tests.Memory;

public sealed class AtomicsTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30); // bounds waits that a correct implementation ends by a Notify

    // ---- Load / Store / Add / Exchange / CompareExchange ----

    [Fact]
    public void LoadStore_Int_RoundTrips()
    {
        using var buffer = new SharedBuffer<int>(4);

        Atomics.Store(buffer, 2, -17);

        Assert.Equal(-17, Atomics.Load(buffer, 2));
        Assert.Equal(-17, buffer[2]);
        Assert.Equal(0, Atomics.Load(buffer, 1));
    }

    [Fact]
    public void LoadStore_LongBeyond32Bits_RoundTripsUntruncated()
    {
        using var buffer = new SharedBuffer<long>(2);
        const long Value = 0x1234_5678_9ABC_DEF0;

        Atomics.Store(buffer, 1, Value);

        Assert.Equal(Value, Atomics.Load(buffer, 1));
    }

    [Fact]
    public void Add_Int_ReturnsNewValueAndWraps()
    {
        using var buffer = new SharedBuffer<int>(1);

        Assert.Equal(5, Atomics.Add(buffer, 0, 5));
        Assert.Equal(2, Atomics.Add(buffer, 0, -3));
        Atomics.Store(buffer, 0, int.MaxValue);
        Assert.Equal(int.MinValue, Atomics.Add(buffer, 0, 1));
    }

    [Fact]
    public void Add_Long_ReturnsNewValue()
    {
        using var buffer = new SharedBuffer<long>(1);

        Assert.Equal(1L << 40, Atomics.Add(buffer, 0, 1L << 40));
        Assert.Equal((1L << 40) + 1, Atomics.Add(buffer, 0, 1));
    }

    [Theory]
    [InlineData(10, 10, 20)] // match: replaced
    [InlineData(10, 11, 20)] // no match: unchanged
    [InlineData(0, 0, -1)]
    [InlineData(int.MinValue, int.MaxValue, 3)]
    public void CompareExchange_Int_MatchesInterlocked(int initial, int expected, int replacement)
    {
        using var buffer = new SharedBuffer<int>(1);
        Atomics.Store(buffer, 0, initial);
        int reference = initial;

        int old = Atomics.CompareExchange(buffer, 0, expected, replacement);
        int referenceOld = Interlocked.CompareExchange(ref reference, replacement, expected);

        Assert.Equal(referenceOld, old);
        Assert.Equal(initial, old);
        Assert.Equal(reference, Atomics.Load(buffer, 0));
        Assert.Equal(initial == expected ? replacement : initial, Atomics.Load(buffer, 0));
    }

    [Theory]
    [InlineData(10L, 10L, 1L << 50)]
    [InlineData(1L << 50, 10L, 20L)]
    [InlineData(-1L, -1L, long.MaxValue)]
    public void CompareExchange_Long_MatchesInterlocked(long initial, long expected, long replacement)
    {
        using var buffer = new SharedBuffer<long>(1);
        Atomics.Store(buffer, 0, initial);
        long reference = initial;

        long old = Atomics.CompareExchange(buffer, 0, expected, replacement);
        long referenceOld = Interlocked.CompareExchange(ref reference, replacement, expected);

        Assert.Equal(referenceOld, old);
        Assert.Equal(reference, Atomics.Load(buffer, 0));
    }

    [Fact]
    public void Exchange_IntAndLong_ReturnOldValueAndStoreNew()
    {
        using var ints = new SharedBuffer<int>(1);
        using var longs = new SharedBuffer<long>(1);
        Atomics.Store(ints, 0, 3);
        Atomics.Store(longs, 0, 1L << 33);

        Assert.Equal(3, Atomics.Exchange(ints, 0, 4));
        Assert.Equal(4, Atomics.Load(ints, 0));
        Assert.Equal(1L << 33, Atomics.Exchange(longs, 0, -5));
        Assert.Equal(-5, Atomics.Load(longs, 0));
    }

    [Fact]
    public void Add_Int_ManyThreadsOneMillionTimesInTotal_EndsAtExactlyOneMillion()
    {
        const int Threads = 4;
        const int PerThread = 250_000;
        using var buffer = new SharedBuffer<int>(4);
        using var start = new Barrier(Threads);

        TestThread[] threads = Enumerable.Range(0, Threads).Select(t => TestThread.Start(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                Atomics.Add(buffer, 1, 1);
            }
        })).ToArray();
        foreach (TestThread thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(1_000_000, Atomics.Load(buffer, 1));
        Assert.Equal(0, buffer[0]);
        Assert.Equal(0, buffer[2]);
    }

    [Fact]
    public void Add_Long_ManyThreadsOneMillionTimesInTotal_EndsAtExactlyOneMillion()
    {
        const int Threads = 4;
        const int PerThread = 250_000;
        using var buffer = new SharedBuffer<long>(1);
        using var start = new Barrier(Threads);

        TestThread[] threads = Enumerable.Range(0, Threads).Select(t => TestThread.Start(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                Atomics.Add(buffer, 0, 1L);
            }
        })).ToArray();
        foreach (TestThread thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(1_000_000L, Atomics.Load(buffer, 0));
    }

    // ---- argument validation ----

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void AllOperations_IndexOutOfRange_ThrowArgumentOutOfRange(int index)
    {
        using var ints = new SharedBuffer<int>(4);
        using var longs = new SharedBuffer<long>(4);

        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Load(ints, index));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Store(ints, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Add(ints, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Exchange(ints, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.CompareExchange(ints, index, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Wait(ints, index, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Notify(ints, index));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Load(longs, index));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Store(longs, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Add(longs, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Exchange(longs, index, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.CompareExchange(longs, index, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Wait(longs, index, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Atomics.Notify(longs, index));
    }

    [Fact]
    public void AllOperations_NullBuffer_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>("buffer", () => Atomics.Load((SharedBuffer<int>)null!, 0));
        Assert.Throws<ArgumentNullException>("buffer", () => Atomics.Add((SharedBuffer<long>)null!, 0, 1));
        Assert.Throws<ArgumentNullException>("buffer", () => Atomics.Wait((SharedBuffer<int>)null!, 0, 0, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>("buffer", () => Atomics.Notify((SharedBuffer<int>)null!, 0));
    }

    [Fact]
    public void AllOperations_DisposedBuffer_ThrowObjectDisposed()
    {
        var buffer = new SharedBuffer<int>(1);
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Atomics.Load(buffer, 0));
        Assert.Throws<ObjectDisposedException>(() => Atomics.CompareExchange(buffer, 0, 0, 1));
        Assert.Throws<ObjectDisposedException>(() => Atomics.Wait(buffer, 0, 0, TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => Atomics.Notify(buffer, 0));
    }

    [Fact]
    public void Notify_NegativeCount_ThrowsArgumentOutOfRange()
    {
        using var buffer = new SharedBuffer<int>(1);

        Assert.Throws<ArgumentOutOfRangeException>("count", () => Atomics.Notify(buffer, 0, -1));
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(-0.5)]
    [InlineData(int.MaxValue + 1.0)]
    public void Wait_TimeoutOutOfRange_ThrowsArgumentOutOfRange(double milliseconds)
    {
        using var buffer = new SharedBuffer<int>(1);

        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => Atomics.Wait(buffer, 0, 0, TimeSpan.FromMilliseconds(milliseconds)));
    }

    // ---- Wait / Notify ----

    [Fact]
    public void Wait_CellHoldsExpected_BlocksUntilNotify()
    {
        using var buffer = new SharedBuffer<int>(1);
        AtomicsWaitResult result = default;

        TestThread waiter = TestThread.Start(() => result = Atomics.Wait(buffer, 0, 0, Timeout.InfiniteTimeSpan), "waiter");
        WaitForWaiters(buffer, 0, 1);

        // Queued first, then blocked: the thread reaches the blocked state and stays there until notified.
        TestThread.WaitUntil(() => (waiter.ThreadState & ThreadState.WaitSleepJoin) != 0, "the waiter is blocked");
        Assert.True(waiter.IsAlive);
        Assert.Equal(1, Atomics.GetWaiterCount(buffer, 0));
        Atomics.Store(buffer, 0, 1);
        Assert.Equal(1, Atomics.Notify(buffer, 0));
        waiter.Join();
        Assert.Equal(AtomicsWaitResult.Ok, result);
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
    }

    [Fact]
    public void Wait_CellDiffersFromExpected_ReturnsNotEqualWithoutSleeping()
    {
        using var buffer = new SharedBuffer<int>(1);
        Atomics.Store(buffer, 0, 5);
        AtomicsWaitResult result = default;

        // An infinite timeout: the call can only return because it never slept (the join is bounded, so a bug fails instead of hanging).
        TestThread waiter = TestThread.Start(() => result = Atomics.Wait(buffer, 0, 4, Timeout.InfiniteTimeSpan), "waiter");
        waiter.Join();

        Assert.Equal(AtomicsWaitResult.NotEqual, result);
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
    }

    [Fact]
    public void Wait_NoNotify_ReturnsTimedOutAndLeavesNoWaiterForNotifyToCount()
    {
        using var buffer = new SharedBuffer<int>(1);

        AtomicsWaitResult result = Atomics.Wait(buffer, 0, 0, TimeSpan.FromMilliseconds(30));

        Assert.Equal(AtomicsWaitResult.TimedOut, result);
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
        Assert.Equal(0, Atomics.Notify(buffer, 0));
    }

    [Fact]
    public void Wait_ZeroTimeoutAndCellEqual_ReturnsTimedOutAtOnce()
    {
        using var buffer = new SharedBuffer<int>(1);

        Assert.Equal(AtomicsWaitResult.TimedOut, Atomics.Wait(buffer, 0, 0, TimeSpan.Zero));
        Assert.Equal(AtomicsWaitResult.NotEqual, Atomics.Wait(buffer, 0, 1, TimeSpan.Zero));
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
    }

    [Fact]
    public void Notify_CountOne_WakesExactlyOneWaiterInFifoOrder()
    {
        const int Waiters = 3;
        using var buffer = new SharedBuffer<int>(1);
        var results = new AtomicsWaitResult[Waiters];
        var threads = new TestThread[Waiters];
        for (int i = 0; i < Waiters; i++)
        {
            int me = i;
            threads[i] = TestThread.Start(() => results[me] = Atomics.Wait(buffer, 0, 0, s_generous), $"waiter {i}");
            WaitForWaiters(buffer, 0, i + 1); // start the next waiter only once this one is queued: the queue order is 0, 1, 2
        }

        for (int woken = 0; woken < Waiters; woken++)
        {
            Assert.Equal(1, Atomics.Notify(buffer, 0, count: 1));

            threads[woken].Join(); // the oldest waiter wakes...
            Assert.Equal(AtomicsWaitResult.Ok, results[woken]);
            Assert.Equal(Waiters - woken - 1, Atomics.GetWaiterCount(buffer, 0)); // ...and only it: the others are still queued
            for (int later = woken + 1; later < Waiters; later++)
            {
                Assert.True(threads[later].IsAlive);
            }
        }

        Assert.Equal(0, Atomics.Notify(buffer, 0, count: 1));
    }

    [Fact]
    public void Notify_DefaultCount_WakesAllWaitersAndReturnsHowMany()
    {
        const int Waiters = 3;
        using var buffer = new SharedBuffer<long>(2);
        var results = new AtomicsWaitResult[Waiters];
        var threads = new TestThread[Waiters];
        for (int i = 0; i < Waiters; i++)
        {
            int me = i;
            threads[i] = TestThread.Start(() => results[me] = Atomics.Wait(buffer, 1, 0L, s_generous), $"waiter {i}");
        }

        WaitForWaiters(buffer, 1, Waiters);
        Assert.Equal(Waiters, Atomics.Notify(buffer, 1));

        foreach (TestThread thread in threads)
        {
            thread.Join();
        }

        Assert.All(results, r => Assert.Equal(AtomicsWaitResult.Ok, r));
    }

    [Fact]
    public void Notify_CountZero_WakesNone()
    {
        using var buffer = new SharedBuffer<int>(1);
        AtomicsWaitResult result = default;
        TestThread waiter = TestThread.Start(() => result = Atomics.Wait(buffer, 0, 0, s_generous), "waiter");
        WaitForWaiters(buffer, 0, 1);

        Assert.Equal(0, Atomics.Notify(buffer, 0, count: 0));
        Assert.Equal(1, Atomics.GetWaiterCount(buffer, 0));
        Assert.True(waiter.IsAlive);

        Assert.Equal(1, Atomics.Notify(buffer, 0));
        waiter.Join();
        Assert.Equal(AtomicsWaitResult.Ok, result);
    }

    [Fact]
    public void Notify_OtherCellOrOtherBuffer_DoesNotWakeTheWaiter()
    {
        using var buffer = new SharedBuffer<int>(2);
        using var other = new SharedBuffer<int>(2);
        AtomicsWaitResult result = default;
        TestThread waiter = TestThread.Start(() => result = Atomics.Wait(buffer, 0, 0, s_generous), "waiter");
        WaitForWaiters(buffer, 0, 1);

        Assert.Equal(0, Atomics.Notify(buffer, 1));
        Assert.Equal(0, Atomics.Notify(other, 0));
        Assert.Equal(1, Atomics.GetWaiterCount(buffer, 0));

        Assert.Equal(1, Atomics.Notify(buffer, 0));
        waiter.Join();
        Assert.Equal(AtomicsWaitResult.Ok, result);
    }

    [Fact]
    public void Wait_TimedOutWaiterAmongOthers_RemovesOnlyItselfSoNotifyCountsStayExact()
    {
        using var buffer = new SharedBuffer<int>(1);
        AtomicsWaitResult longResult = default;
        TestThread longWaiter = TestThread.Start(() => longResult = Atomics.Wait(buffer, 0, 0, s_generous), "long waiter");
        WaitForWaiters(buffer, 0, 1);

        Assert.Equal(AtomicsWaitResult.TimedOut, Atomics.Wait(buffer, 0, 0, TimeSpan.FromMilliseconds(20)));

        Assert.Equal(1, Atomics.GetWaiterCount(buffer, 0));
        Assert.Equal(1, Atomics.Notify(buffer, 0));
        longWaiter.Join();
        Assert.Equal(AtomicsWaitResult.Ok, longResult);
    }

    [Fact]
    public void Wait_ThreadInterrupted_ThrowsAndLeavesTheQueue()
    {
        using var buffer = new SharedBuffer<int>(1);
        Exception? thrown = null;
        TestThread waiter = TestThread.Start(
            () =>
            {
                try
                {
                    Atomics.Wait(buffer, 0, 0, s_generous);
                }
                catch (ThreadInterruptedException ex)
                {
                    thrown = ex;
                }
            },
            "waiter");
        WaitForWaiters(buffer, 0, 1);

        waiter.Interrupt();
        waiter.Join();

        Assert.IsType<ThreadInterruptedException>(thrown);
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
        Assert.Equal(0, Atomics.Notify(buffer, 0));
    }

    [Fact]
    public void WaitNotify_PingPong20000RoundsOnDedicatedThreads_NoLostWakeUp()
    {
        // Cell 0 is the ping counter, cell 1 the pong counter. Each side publishes a round with Store + Notify and waits
        // for the other with the usual load / Wait(expected: last value seen) loop. A lost wake-up would leave one side
        // asleep while the other waits for it: the generous timeout would then fire, and TimedOut fails the test.
        const int Rounds = 20_000;
        using var buffer = new SharedBuffer<int>(2);
        int timeouts = 0;

        TestThread pinger = TestThread.Start(
            () =>
            {
                for (int round = 1; round <= Rounds; round++)
                {
                    Atomics.Store(buffer, 0, round);
                    Atomics.Notify(buffer, 0);
                    AwaitValue(buffer, 1, round, ref timeouts);
                }
            },
            "ping");
        TestThread ponger = TestThread.Start(
            () =>
            {
                for (int round = 1; round <= Rounds; round++)
                {
                    AwaitValue(buffer, 0, round, ref timeouts);
                    Atomics.Store(buffer, 1, round);
                    Atomics.Notify(buffer, 1);
                }
            },
            "pong");

        pinger.Join();
        ponger.Join();

        Assert.Equal(0, Volatile.Read(ref timeouts));
        Assert.Equal(Rounds, Atomics.Load(buffer, 0));
        Assert.Equal(Rounds, Atomics.Load(buffer, 1));
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 0));
        Assert.Equal(0, Atomics.GetWaiterCount(buffer, 1));

        static void AwaitValue(SharedBuffer<int> buffer, int index, int value, ref int timeouts)
        {
            int seen;
            while ((seen = Atomics.Load(buffer, index)) != value)
            {
                if (Atomics.Wait(buffer, index, seen, TimeSpan.FromSeconds(10)) == AtomicsWaitResult.TimedOut)
                {
                    Interlocked.Increment(ref timeouts);
                    return;
                }
            }
        }
    }

    [Fact]
    public void WaitNotify_NotifyRacesWithWaitEachRound_NeverLosesTheWakeUp()
    {
        // Each round both threads leave a spin rendezvous together: one calls Wait(cell, expected: 0) while the other
        // does Store(cell, 1) + Notify(cell). Every interleaving must end in NotEqual (the store came first) or Ok (the
        // waiter was queued first); TimedOut would mean the Notify ran between the waiter's check and its enqueue.
        const int Rounds = 20_000;
        using var cells = new SharedBuffer<int>(Rounds); // a fresh cell per round: no reset needed
        int arrived = 0;
        int timedOut = 0;
        int slept = 0;

        TestThread waiter = TestThread.Start(
            () =>
            {
                for (int round = 0; round < Rounds; round++)
                {
                    Rendezvous(ref arrived, round);
                    AtomicsWaitResult result = Atomics.Wait(cells, round, 0, TimeSpan.FromSeconds(10));
                    if (result == AtomicsWaitResult.TimedOut)
                    {
                        timedOut++;
                    }
                    else if (result == AtomicsWaitResult.Ok)
                    {
                        slept++;
                    }
                }
            },
            "waiter");
        TestThread notifier = TestThread.Start(
            () =>
            {
                for (int round = 0; round < Rounds; round++)
                {
                    Rendezvous(ref arrived, round);
                    Atomics.Store(cells, round, 1);
                    Atomics.Notify(cells, round);
                }
            },
            "notifier");

        waiter.Join();
        notifier.Join();

        Assert.Equal(0, timedOut);
        Assert.InRange(slept, 0, Rounds); // how often each side won varies with scheduling; only TimedOut is wrong

        static void Rendezvous(ref int arrived, int round)
        {
            Interlocked.Increment(ref arrived); // full fence: each side announces it reached this round
            var spinner = default(SpinWait);
            while (Volatile.Read(ref arrived) < 2 * (round + 1)) // acquire: wait for the other side of the same round
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static void WaitForWaiters<T>(SharedBuffer<T> buffer, int index, int count)
        where T : unmanaged
        => TestThread.WaitUntil(() => Atomics.GetWaiterCount(buffer, index) == count, $"{count} thread(s) wait on cell {index}");
}
