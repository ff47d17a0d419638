namespace Shop.Application.Common;

/// <summary>The resource does not exist (404).</summary>
public sealed class NotFoundException(string resource, object key)
    : Exception($"{resource} {key} was not found.")
{
    public string Resource { get; } = resource;
    public object Key { get; } = key;
}
