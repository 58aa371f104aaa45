namespace Gantry.Core.Kinds;

/// <summary>A Spark setting's text and the manifest path it came from, so a parse error names the right field.</summary>
internal readonly record struct SparkSetting(string Text, string Path);
