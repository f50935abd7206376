using BenchmarkDotNet.Running;
using TaskPool.Benchmarks;

if (args.Length > 0 && args[0] == "soak")
{
    // dotnet run -c Release --project benchmarks/TaskPool.Benchmarks -- soak [--minutes 10]
    int minutes = args.Length > 2 && args[1] == "--minutes" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
    return await Soak.RunAsync(TimeSpan.FromMinutes(minutes), Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
