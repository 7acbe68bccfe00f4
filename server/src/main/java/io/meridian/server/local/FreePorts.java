package io.meridian.server.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports that are free on {@link LocalCluster#HOST} right now, by letting the OS bind
 * port 0. All sockets of one call are open at the same time, so the ports are distinct; another
 * process may still take one before the node binds it (the node then fails to start, and says
 * so in its log).
 */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Picks distinct free ports.
     *
     * @param count how many
     * @return the ports, in the order the OS gave them
     * @throws IOException if a socket cannot be bound
     */
    static List<Integer> pick(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LocalCluster.HOST));
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
