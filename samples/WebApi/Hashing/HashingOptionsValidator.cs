using Microsoft.Extensions.Options;

namespace TaskPool.Samples.WebApi.Hashing;

/// <summary>Checks that 1 &lt;= MinIterations &lt;= Iterations &lt;= MaxIterations &lt;= <see cref="HashingOptions.HardMaxIterations"/> and that the mode is known.</summary>
internal sealed class HashingOptionsValidator : IValidateOptions<HashingOptions>
{
    public ValidateOptionsResult Validate(string? name, HashingOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Hashing:Mode must be Pool, Inline or ThreadPool (was {options.Mode}).");
        }

        if (options.MinIterations < 1)
        {
            failures.Add($"Hashing:MinIterations must be at least 1 (was {options.MinIterations}).");
        }

        if (options.Iterations < options.MinIterations || options.Iterations > options.MaxIterations)
        {
            failures.Add($"Hashing:Iterations must be between Hashing:MinIterations ({options.MinIterations}) and Hashing:MaxIterations ({options.MaxIterations}) (was {options.Iterations}).");
        }

        if (options.MaxIterations > HashingOptions.HardMaxIterations)
        {
            failures.Add($"Hashing:MaxIterations must be at most {HashingOptions.HardMaxIterations} (was {options.MaxIterations}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
