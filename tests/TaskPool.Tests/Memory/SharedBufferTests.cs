using System.Runtime.CompilerServices;

namespace TaskPool.Tests.Memory;

public sealed class SharedBufferTests
{
    [Fact]
    public void Ctor_NegativeLength_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>("length", () => new SharedBuffer<int>(-1));
    }

    [Fact]
    public void Ctor_ZeroLength_GivesEmptyBuffer()
    {
        using var buffer = new SharedBuffer<long>(0);

        Assert.Equal(0, buffer.Length);
        Assert.True(buffer.Span.IsEmpty);
        Assert.True(buffer.Memory.IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>("index", () => buffer[0]);
    }

    [Fact]
    public void Ctor_PositiveLength_MemoryIsZeroed()
    {
        using var buffer = new SharedBuffer<long>(10_000);

        Assert.Equal(10_000, buffer.Length);
        Assert.Equal(10_000, buffer.Span.Length);
        Assert.Equal(10_000, buffer.Memory.Length);
        Assert.True(buffer.Span.IndexOfAnyExcept(0L) < 0);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(16)]
    [InlineData(int.MaxValue)]
    public void Indexer_OutOfRange_ThrowsArgumentOutOfRange(int index)
    {
        using var buffer = new SharedBuffer<int>(16);

        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>("index", () => buffer[index]);
        Assert.Equal(index, ex.ActualValue);
    }

    [Fact]
    public void Indexer_InRange_ReturnsReferenceIntoTheBuffer()
    {
        using var buffer = new SharedBuffer<int>(16);

        buffer[3] = 42;
        ref int first = ref buffer[0];
        ref int last = ref buffer[15];

        Assert.Equal(42, buffer.Span[3]);
        Assert.True(Unsafe.AreSame(ref first, ref buffer.Span[0]));
        Assert.True(Unsafe.AreSame(ref last, ref buffer.Span[15]));
    }

    [Fact]
    public void Memory_WriteThroughSpan_ReadsBackThroughMemory()
    {
        using var buffer = new SharedBuffer<byte>(64);

        buffer.Span[63] = 7;

        Assert.Equal(7, buffer.Memory.Span[63]);
        Assert.True(Unsafe.AreSame(ref buffer.Memory.Span[0], ref buffer.Span[0]));
    }

    [Fact]
    public unsafe void Pointer_Always_AddressesTheFirstElement()
    {
        using var buffer = new SharedBuffer<int>(8);

        buffer.Pointer[5] = 123;

        Assert.Equal(123, buffer[5]);
        Assert.Equal((nint)buffer.Pointer, (nint)Unsafe.AsPointer(ref buffer.Span[0]));
    }

    [Fact]
    public unsafe void Pointer_FullBlockingGCsWhileThreadsWriteThroughIt_NeverChanges()
    {
        const int Writers = 2;
        const int CellsPerWriter = 4096;
        using var buffer = new SharedBuffer<int>(Writers * CellsPerWriter);
        nint address = (nint)buffer.Pointer;
        int stop = 0;
        var passes = new int[Writers];

        var writers = new TestThread[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = TestThread.Start(
                () =>
                {
                    int* cells = (int*)address + (writer * CellsPerWriter); // a raw pointer: only valid because the memory never moves
                    for (int pass = 1; Volatile.Read(ref stop) == 0; pass++)
                    {
                        for (int i = 0; i < CellsPerWriter; i++)
                        {
                            cells[i] = pass;
                        }

                        Volatile.Write(ref passes[writer], pass);
                    }
                },
                $"writer {w}");
        }

        TestThread.WaitUntil(() => Volatile.Read(ref passes[0]) > 0 && Volatile.Read(ref passes[1]) > 0, "both writers have written");
        for (int gc = 0; gc < 5; gc++)
        {
            // Garbage between collections, so that a compacting GC has something to move.
            for (int i = 0; i < 10_000; i++)
            {
                _ = new byte[64];
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Equal(address, (nint)buffer.Pointer);
        }

        Volatile.Write(ref stop, 1);
        foreach (TestThread writer in writers)
        {
            writer.Join();
        }

        // Every cell holds the value of its writer's last full pass or the one in progress when it stopped: writes landed in the buffer.
        for (int w = 0; w < Writers; w++)
        {
            int lastPass = passes[w];
            Span<int> cells = buffer.Span.Slice(w * CellsPerWriter, CellsPerWriter);
            foreach (int value in cells)
            {
                Assert.InRange(value, lastPass, lastPass + 1);
            }
        }

        Assert.Equal(address, (nint)buffer.Pointer);
    }

    [Fact]
    public unsafe void Members_AfterDispose_ThrowObjectDisposed()
    {
        var buffer = new SharedBuffer<int>(4);

        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
        Assert.Equal(4, buffer.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Throws<ObjectDisposedException>(() => (nint)buffer.Pointer);
        Assert.Throws<ObjectDisposedException>(() => buffer[0]);
        Assert.Throws<ObjectDisposedException>(() => buffer[-1]); // disposed is reported before the index
    }

    [Fact]
    public void Dispose_Twice_IsSafe()
    {
        var buffer = new SharedBuffer<int>(4);
        Assert.False(buffer.IsDisposed);

        buffer.Dispose();
        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
    }

    [Fact]
    public void Memory_TakenBeforeDispose_KeepsWorking()
    {
        var buffer = new SharedBuffer<int>(4);
        Memory<int> memory = buffer.Memory;

        buffer.Dispose();
        memory.Span[2] = 9;

        Assert.Equal(9, memory.Span[2]);
    }
}
