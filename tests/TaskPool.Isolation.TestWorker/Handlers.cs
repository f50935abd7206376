using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TaskPool.Isolation.TestWorker;

/// <summary>The jobs the tests run: well-behaved ones and every kind of misbehaviour a process lane must contain.</summary>
internal static class Handlers
{
    public static void Register(ProcessJobRegistry registry) => registry
        .Map("echo", static (input, ct) => input.ToArray())
        .Map("pid", static (input, ct) => BitConverter.GetBytes(Environment.ProcessId))
        .Map("sleep", Sleep)
        .Map("throw", static (input, ct) => throw new InvalidOperationException("boom from the child"))
        .Map("failfast", static (input, ct) =>
        {
            Environment.FailFast("failfast from the test worker");
            return [];
        })
        .Map("stackoverflow", static (input, ct) => BitConverter.GetBytes(Recurse(1)))
        .Map("abort", static (input, ct) =>
        {
            LibC.abort();
            return [];
        })
        .Map("exit3", static (input, ct) =>
        {
            Environment.Exit(3);
            return [];
        })
        .Map("hang", Hang)
        .Map("cooperative", static (input, ct) =>
        {
            ct.WaitHandle.WaitOne();
            ct.ThrowIfCancellationRequested();
            return [];
        })
        .Map("hold", static (input, ct) =>
        {
            ct.WaitHandle.WaitOne();
            return [];
        })
        .Map("allocate", AllocateManaged)
        .Map("allocate-native", AllocateNative)
        .Map("console", WriteToConsole)
        .Map("garbage", static (input, ct) => SendGarbage(absurdLength: true))
        .Map("badframe", static (input, ct) => SendGarbage(absurdLength: false));

    private static byte[] Sleep(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        int milliseconds = BinaryPrimitives.ReadInt32LittleEndian(input.Span);
        cancellationToken.WaitHandle.WaitOne(milliseconds);
        cancellationToken.ThrowIfCancellationRequested();
        return BitConverter.GetBytes(Environment.ProcessId);
    }

    private static int Recurse(int depth)
    {
        Span<byte> frame = stackalloc byte[256];
        frame[depth % 256] = (byte)depth;
        return Recurse(depth + 1) + frame[0];
    }

    /// <summary>With a 1-byte input starts a grandchild (<c>sleep</c>) and says its pid on stderr; then loops forever ignoring the token.</summary>
    private static byte[] Hang(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (input.Length == 1)
        {
            using var grandchild = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
            Console.Error.WriteLine($"grandchild {grandchild.Id}");
        }

        while (true)
        {
            Thread.Sleep(20);
        }
    }

    private static byte[] AllocateManaged(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        var hoard = new List<byte[]>();
        while (true)
        {
            byte[] chunk = GC.AllocateUninitializedArray<byte>(4 << 20);
            Array.Fill(chunk, (byte)1);
            hoard.Add(chunk);
        }
    }

    private static unsafe byte[] AllocateNative(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        while (true)
        {
            nint block = Marshal.AllocHGlobal(4 << 20);
            new Span<byte>((void*)block, 4 << 20).Fill(1);
            Thread.Sleep(1);
        }
    }

    private static byte[] WriteToConsole(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        Console.WriteLine("noise on Console.Out");
        Console.Out.Flush();
        Console.Error.WriteLine("noise on Console.Error");
        Console.OpenStandardOutput().Write("noise on the stdout stream\n"u8);
        ReadOnlySpan<byte> native = "noise written to fd 1 by native code\n"u8;
        _ = LibC.write(1, native, native.Length);
        return Encoding.UTF8.GetBytes("clean");
    }

    private static byte[] SendGarbage(bool absurdLength)
    {
        byte[] garbage = absurdLength
            ? [0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]
            : [2, 0, 0, 0, 0x77, 0x77];
        RawProtocolOutput.Write(garbage);
        Thread.Sleep(Timeout.Infinite);
        return [];
    }
}
