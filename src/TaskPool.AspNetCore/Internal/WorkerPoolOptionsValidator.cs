using Microsoft.Extensions.Options;

namespace TaskPool.AspNetCore.Internal;

/// <summary>
/// Runs <see cref="WorkerPoolOptions.Validate"/> for one registered pool and turns its exception into a failure that names the setting
/// the way an operator wrote it: the configuration key (<c>WorkerPool:WorkerCount</c>) and the environment variable (<c>WorkerPool__WorkerCount</c>).
/// </summary>
internal sealed class WorkerPoolOptionsValidator : IValidateOptions<WorkerPoolOptions>
{
    private readonly string _name;
    private readonly string? _configurationPath;

    public WorkerPoolOptionsValidator(string name, string? configurationPath)
    {
        _name = name;
        _configurationPath = string.IsNullOrEmpty(configurationPath) ? null : configurationPath;
    }

    public ValidateOptionsResult Validate(string? name, WorkerPoolOptions options)
    {
        if (!string.Equals(name, _name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail(Describe(exception));
        }
    }

    private string Describe(ArgumentException exception)
    {
        string setting = exception.ParamName ?? "?";
        string where = _configurationPath is null
            ? $"WorkerPoolOptions.{setting} of worker pool '{_name}'"
            : $"setting '{_configurationPath}:{setting}' (environment variable {_configurationPath.Replace(":", "__", StringComparison.Ordinal)}__{setting})";
        string reason = exception.Message;
        int suffix = reason.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            reason = reason[..suffix]; // ArgumentException appends the parameter name and, on another line, the actual value
        }

        string actual = exception is ArgumentOutOfRangeException { ActualValue: { } value } ? $" Actual value: {value}." : string.Empty;
        return $"Invalid {where}: {reason}{actual}";
    }
}
