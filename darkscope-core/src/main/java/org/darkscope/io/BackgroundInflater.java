package org.darkscope.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on its own thread, ahead of the consumer: gzip inflation then runs on one core
 * while events are parsed on another. Errors (a truncated stream) reach the consumer at the
 * point in the data where they happened.
 */
final class BackgroundInflater extends InputStream {
    private static final int BLOCK = 1 << 18;
    private static final Object END = new Object();

    private record Block(byte[] data, int length) {
    }

    private final InputStream source;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private Block current;
    private int position;
    private boolean finished;

    BackgroundInflater(InputStream source, String name) {
        this.source = source;
        this.thread = new Thread(this::pump, "darkscope-inflate-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump() {
        try {
            while (true) {
                byte[] data = new byte[BLOCK];
                int length = 0;
                try {
                    while (length < BLOCK) {
                        int n = source.read(data, length, BLOCK - length);
                        if (n < 0) {
                            break;
                        }
                        length += n;
                    }
                } catch (IOException e) {
                    if (length > 0) {
                        queue.put(new Block(data, length)); // what was read before the failure, so that it names the right line
                    }
                    throw e;
                }
                if (length > 0) {
                    queue.put(new Block(data, length));
                }
                if (length < BLOCK) {
                    queue.put(END);
                    return;
                }
            }
        } catch (IOException e) {
            try {
                queue.put(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves to the next block; false at the end of the stream. */
    private boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (item instanceof Block block) {
            current = block;
            position = 0;
            return true;
        }
        if (item instanceof IOException failure) {
            finished = true;
            throw failure;
        }
        finished = true;
        return false;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if ((current == null || position == current.length()) && !advance()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.data(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        source.close();
    }
}
