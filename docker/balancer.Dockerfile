# The balancer, on the official ASP.NET Core runtime image. The build context is the output of
# `dotnet publish Balancer.Web -c Release -o <dir>` made on the host (docker/build-images.sh does both),
# because the SDK image a multi-stage build needs cannot be pulled here.
#
# It manages replica containers through the engine's socket, which docker-compose.yml mounts at
# /var/run/docker.sock. It still runs as the image's non-root user: the compose file adds the socket's
# group (its gid, which docker/deploy.sh reads from the host's socket) instead of making the whole
# process root. Access to the socket is root-equivalent on the host either way; this only keeps a bug
# in the app from writing to the container's own files as root.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY . .
# The balancer listens on 0.0.0.0:5000 unless told otherwise; ASPNETCORE_HTTP_PORTS from the base image
# would be overridden by it, so clear it rather than have ASP.NET Core warn.
ENV ASPNETCORE_HTTP_PORTS=
EXPOSE 5000
USER $APP_UID
ENTRYPOINT ["dotnet", "Balancer.Web.dll"]
