using System.Runtime.CompilerServices;

namespace TaskPool.Tests.Memory;

[Collection(OwnedBufferCountsCollection.Name)]
public sealed class OwnedBufferTests
{
    [Fact]
    public void Rent_NegativeLength_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>("length", () => OwnedBuffer<byte>.Rent(-1));
    }

    [Fact]
    public void Rent_LengthThePoolRoundsUp_ExposesExactlyTheRequestedLength()
    {
        using OwnedBuffer<int> buffer = OwnedBuffer<int>.Rent(1000); // the shared pool hands out 1024 elements

        Assert.Equal(1000, buffer.Length);
        Assert.Equal(1000, buffer.Span.Length);
        Assert.Equal(1000, buffer.Memory.Length);
        Assert.False(buffer.IsDetached);
    }

    [Fact]
    public void Rent_ZeroLength_GivesEmptyBufferWithoutRenting()
    {
        using var counts = new OwnedBufferCounts();
        long rented = counts.Rented;

        using OwnedBuffer<int> buffer = OwnedBuffer<int>.Rent(0);

        Assert.Equal(0, buffer.Length);
        Assert.True(buffer.Span.IsEmpty);
        Assert.Equal(rented, counts.Rented);
    }

    [Fact]
    public void Wrap_NullArray_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>("array", () => OwnedBuffer<int>.Wrap(null!));
    }

    [Fact]
    public void Wrap_Array_SharesItWithoutCopying()
    {
        int[] array = [1, 2, 3];

        using OwnedBuffer<int> buffer = OwnedBuffer<int>.Wrap(array);

        Assert.Equal(3, buffer.Length);
        Assert.True(Unsafe.AreSame(ref array[0], ref buffer.Span[0]));
        Assert.True(Unsafe.AreSame(ref array[0], ref buffer.Memory.Span[0]));
    }

    [Fact]
    public void Wrap_Dispose_DoesNotTouchThePoolCounters()
    {
        using var counts = new OwnedBufferCounts();
        long rented = counts.Rented;
        long returned = counts.Returned;

        OwnedBuffer<byte>.Wrap(new byte[16]).Dispose();

        Assert.Equal(rented, counts.Rented);
        Assert.Equal(returned, counts.Returned);
    }

    [Fact]
    public unsafe void Transfer_WrittenBuffer_NewHandleSeesTheSameMemory()
    {
        using OwnedBuffer<int> original = OwnedBuffer<int>.Rent(100);
        for (int i = 0; i < original.Length; i++)
        {
            original.Span[i] = i * i;
        }

        fixed (int* before = original.Span)
        {
            using OwnedBuffer<int> moved = original.Transfer();

            fixed (int* after = moved.Span)
            {
                Assert.Equal((nint)before, (nint)after);
            }

            Assert.Equal(100, moved.Length);
            for (int i = 0; i < moved.Length; i++)
            {
                Assert.Equal(i * i, moved.Span[i]);
            }
        }
    }

    [Fact]
    public void Transfer_256MiBBuffer_AllocatesOnlyTheNewHandle()
    {
        const int Size = 256 * 1024 * 1024;
        OwnedBuffer<byte>.Wrap(new byte[1]).Transfer().Dispose(); // warm up: first calls may allocate while the runtime resolves them
        using OwnedBuffer<byte> original = OwnedBuffer<byte>.Wrap(GC.AllocateUninitializedArray<byte>(Size));
        original.Span[Size - 1] = 0x5A;

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        OwnedBuffer<byte> moved = original.Transfer();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        using (moved)
        {
            Assert.InRange(allocated, 0, 1023); // one small handle; a copy would be 256 MiB
            Assert.Equal(Size, moved.Length);
            Assert.Equal(0x5A, moved.Span[Size - 1]);
        }
    }

    [Fact]
    public void Transfer_Always_DetachesTheOldHandle()
    {
        OwnedBuffer<int> original = OwnedBuffer<int>.Rent(8);

        using OwnedBuffer<int> moved = original.Transfer();

        Assert.True(original.IsDetached);
        Assert.Equal(0, original.Length);
        Assert.False(moved.IsDetached);
        Assert.Equal(8, moved.Length);
    }

    [Fact]
    public void Members_AfterTransfer_ThrowObjectDisposedMentioningTheTransfer()
    {
        OwnedBuffer<int> original = OwnedBuffer<int>.Rent(8);
        using OwnedBuffer<int> moved = original.Transfer();

        AssertTransferred(Assert.Throws<ObjectDisposedException>(() => original.Span.Length));
        AssertTransferred(Assert.Throws<ObjectDisposedException>(() => original.Memory));
        AssertTransferred(Assert.Throws<ObjectDisposedException>(() => original.Transfer()));

        static void AssertTransferred(ObjectDisposedException ex) => Assert.Contains("transferred", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Members_AfterDispose_ThrowObjectDisposedNotMentioningTransfer()
    {
        OwnedBuffer<int> buffer = OwnedBuffer<int>.Rent(8);

        buffer.Dispose();

        Assert.False(buffer.IsDetached);
        Assert.Equal(0, buffer.Length);
        ObjectDisposedException ex = Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.DoesNotContain("transferred", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("disposed", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Throws<ObjectDisposedException>(() => buffer.Transfer());
    }

    [Fact]
    public void Dispose_Twice_ReturnsThePooledArrayExactlyOnce()
    {
        using var counts = new OwnedBufferCounts();
        long rented = counts.Rented;
        long returned = counts.Returned;
        OwnedBuffer<byte> buffer = OwnedBuffer<byte>.Rent(4096);

        buffer.Dispose();
        buffer.Dispose();

        Assert.Equal(rented + 1, counts.Rented);
        Assert.Equal(returned + 1, counts.Returned);
    }

    [Fact]
    public void Dispose_DetachedHandle_IsNoOpAndTheNewOwnerStillWorks()
    {
        using var counts = new OwnedBufferCounts();
        long returned = counts.Returned;
        OwnedBuffer<byte> original = OwnedBuffer<byte>.Rent(64);
        OwnedBuffer<byte> moved = original.Transfer();

        original.Dispose();

        Assert.Equal(returned, counts.Returned);
        Assert.True(original.IsDetached);
        moved.Span[63] = 1;
        Assert.Equal(1, moved.Span[63]);

        moved.Dispose();
        Assert.Equal(returned + 1, counts.Returned);
    }

    [Fact]
    public void Transfer_ChainOfOwners_ReturnsThePooledArrayOnceAtTheEnd()
    {
        using var counts = new OwnedBufferCounts();
        long rented = counts.Rented;
        long returned = counts.Returned;

        OwnedBuffer<long> owner = OwnedBuffer<long>.Rent(32);
        for (int i = 0; i < 10; i++)
        {
            OwnedBuffer<long> previous = owner;
            owner = owner.Transfer();
            previous.Dispose(); // no-op: detached
        }

        Assert.Equal(returned, counts.Returned);
        owner.Dispose();
        Assert.Equal(rented + 1, counts.Rented);
        Assert.Equal(returned + 1, counts.Returned);
    }

    [Fact]
    public void Transfer_RacingOnTwoThreads_ExactlyOneWinsEachRound()
    {
        using var counts = new OwnedBufferCounts();
        const int Rounds = 2000;
        long rented = counts.Rented;
        long returned = counts.Returned;
        OwnedBuffer<byte>[] buffers = Enumerable.Range(0, Rounds).Select(_ => OwnedBuffer<byte>.Rent(16)).ToArray();
        var winners = new OwnedBuffer<byte>?[Rounds, 2];
        int losses = 0;

        RaceOnTwoThreads(Rounds, (round, side) =>
        {
            try
            {
                winners[round, side] = buffers[round].Transfer();
            }
            catch (ObjectDisposedException ex) when (ex.Message.Contains("transferred", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref losses);
            }
        });

        Assert.Equal(Rounds, losses);
        for (int round = 0; round < Rounds; round++)
        {
            OwnedBuffer<byte>? winner = winners[round, 0] ?? winners[round, 1];
            Assert.NotNull(winner);
            Assert.True(winners[round, 0] is null || winners[round, 1] is null, $"round {round}: both transfers won");
            Assert.True(buffers[round].IsDetached);
            Assert.Equal(16, winner.Length);
            winner.Dispose();
        }

        Assert.Equal(rented + Rounds, counts.Rented);
        Assert.Equal(returned + Rounds, counts.Returned);
    }

    [Fact]
    public void TransferAndDispose_Racing_PooledArrayReturnedExactlyOnceEachRound()
    {
        using var counts = new OwnedBufferCounts();
        const int Rounds = 2000;
        long rented = counts.Rented;
        long returned = counts.Returned;
        OwnedBuffer<byte>[] buffers = Enumerable.Range(0, Rounds).Select(_ => OwnedBuffer<byte>.Rent(16)).ToArray();
        var moved = new OwnedBuffer<byte>?[Rounds];

        RaceOnTwoThreads(Rounds, (round, side) =>
        {
            if (side == 0)
            {
                try
                {
                    moved[round] = buffers[round].Transfer();
                }
                catch (ObjectDisposedException)
                {
                    // Dispose won this round.
                }
            }
            else
            {
                buffers[round].Dispose();
            }
        });

        int transfersWon = 0;
        for (int round = 0; round < Rounds; round++)
        {
            if (moved[round] is { } winner)
            {
                transfersWon++;
                Assert.True(buffers[round].IsDetached);
                winner.Dispose();
            }
            else
            {
                Assert.False(buffers[round].IsDetached);
            }

            Assert.Equal(0, buffers[round].Length);
        }

        Assert.InRange(transfersWon, 0, Rounds);
        Assert.Equal(rented + Rounds, counts.Rented);
        Assert.Equal(returned + Rounds, counts.Returned);
    }

    [Fact]
    public void Dispose_RacingOnTwoThreads_PooledArrayReturnedExactlyOnceEachRound()
    {
        using var counts = new OwnedBufferCounts();
        const int Rounds = 2000;
        long returned = counts.Returned;
        OwnedBuffer<byte>[] buffers = Enumerable.Range(0, Rounds).Select(_ => OwnedBuffer<byte>.Rent(16)).ToArray();

        RaceOnTwoThreads(Rounds, (round, _) => buffers[round].Dispose());

        Assert.Equal(returned + Rounds, counts.Returned);
    }

    /// <summary>Runs <paramref name="action"/>(round, side) on two dedicated threads that meet at a barrier before every round.</summary>
    private static void RaceOnTwoThreads(int rounds, Action<int, int> action)
    {
        using var barrier = new Barrier(2);
        TestThread[] threads = [Start(0), Start(1)];
        foreach (TestThread thread in threads)
        {
            thread.Join();
        }

        TestThread Start(int side) => TestThread.Start(
            () =>
            {
                for (int round = 0; round < rounds; round++)
                {
                    barrier.SignalAndWait();
                    action(round, side);
                }
            },
            $"side {side}");
    }
}
