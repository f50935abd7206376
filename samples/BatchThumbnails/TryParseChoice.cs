namespace TaskPool.Samples.BatchThumbnails;

/// <summary>Parses the text of a choice option (<c>--format</c>, <c>--fit</c>, <c>--engine</c>, <c>--isolation</c>); false when it names no choice.</summary>
internal delegate bool TryParseChoice<T>(string text, out T value);
