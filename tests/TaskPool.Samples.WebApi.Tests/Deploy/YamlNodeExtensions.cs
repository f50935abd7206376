using YamlDotNet.RepresentationModel;

namespace TaskPool.Samples.WebApi.Tests.Deploy;

/// <summary>Navigation in a parsed YAML document, failing the test with the missing key's name.</summary>
internal static class YamlNodeExtensions
{
    /// <summary>The mapping at <paramref name="keys"/>.</summary>
    public static YamlMappingNode Path(this YamlMappingNode node, params string[] keys)
    {
        YamlMappingNode current = node;
        foreach (string key in keys)
        {
            current = current.Child(key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' is not a mapping.");
        }

        return current;
    }

    /// <summary>The mappings of the sequence at <paramref name="keys"/>.</summary>
    public static IEnumerable<YamlMappingNode> Seq(this YamlMappingNode node, params string[] keys)
        => node.Sequence(keys).Children.Select(static c => c as YamlMappingNode ?? throw new InvalidOperationException("An item is not a mapping."));

    /// <summary>The scalars of the sequence at <paramref name="keys"/>.</summary>
    public static IEnumerable<string> Scalars(this YamlMappingNode node, params string[] keys)
        => node.Sequence(keys).Children.Select(static c => (c as YamlScalarNode)?.Value ?? throw new InvalidOperationException("An item is not a scalar."));

    public static string Scalar(this YamlMappingNode node, string key)
        => (node.Child(key) as YamlScalarNode)?.Value ?? throw new InvalidOperationException($"'{key}' is not a scalar.");

    private static YamlSequenceNode Sequence(this YamlMappingNode node, string[] keys)
        => node.Path(keys[..^1]).Child(keys[^1]) as YamlSequenceNode ?? throw new InvalidOperationException($"'{keys[^1]}' is not a sequence.");

    private static YamlNode Child(this YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child : throw new InvalidOperationException($"No key '{key}'.");
}
