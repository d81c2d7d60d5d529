"""The app served by waitress from a thread, for tests that need a real server, and stopped cleanly."""

import threading

from waitress.server import create_server


class ServerThread:
    """Serve `app` on a free port of 127.0.0.1 from a thread."""

    def __init__(self, app, threads=8):
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self):
        """Close every socket from the server's own loop, which then ends: closing them from this
        thread while the loop waits on them fails there with "Bad file descriptor"."""
        sockets = self.server._map  # waitress keeps its listening socket, connections and trigger here
        self.server.trigger.pull_trigger(lambda: [dispatcher.close() for dispatcher in list(sockets.values())])
        self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown()
