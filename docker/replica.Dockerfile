# The replica web server, on the official ASP.NET Core runtime image. The build context is the output
# of `dotnet publish ReplicaServer -c Release -o <dir>` made on the host (docker/build-images.sh does
# both), because the SDK image a multi-stage build needs cannot be pulled here.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY . .
# ReplicaServer listens on PORT (default 5000) on every interface.
ENV PORT=5000
# The base image asks for 8080 through ASPNETCORE_HTTP_PORTS; PORT decides here, so clear it rather
# than have ASP.NET Core warn that it overrides it.
ENV ASPNETCORE_HTTP_PORTS=
EXPOSE 5000
USER $APP_UID
ENTRYPOINT ["dotnet", "ReplicaServer.dll"]
