using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Demo;

/// <summary>Checks that the flood caps are within 1..<see cref="DemoOptions.HardMaxSeconds"/> and 1..<see cref="DemoOptions.HardMaxConcurrency"/>.</summary>
internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var failures = new List<string>();
        if (options.MaxSeconds is < 1 or > DemoOptions.HardMaxSeconds)
        {
            failures.Add($"Demo:MaxSeconds must be between 1 and {DemoOptions.HardMaxSeconds} (was {options.MaxSeconds}).");
        }

        if (options.MaxConcurrency < 1 || options.MaxConcurrency > DemoOptions.HardMaxConcurrency)
        {
            failures.Add($"Demo:MaxConcurrency must be between 1 and {DemoOptions.HardMaxConcurrency} (4 per core) (was {options.MaxConcurrency}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
