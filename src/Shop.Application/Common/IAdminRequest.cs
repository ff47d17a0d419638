namespace Shop.Application.Common;

/// <summary>Marks a request that only an admin may send.</summary>
public interface IAdminRequest;
