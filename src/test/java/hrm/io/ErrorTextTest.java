package hrm.io;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorTextTest {
    @Test
    void aMessageIsKept() {
        assertEquals("disk full", ErrorText.of(new IOException("disk full")));
    }

    @Test
    void withoutAMessageTheClassAndTheCauseSpeakNeverNull() {
        assertEquals("EOFException", ErrorText.of(new EOFException()));
        var connect = new ConnectException();
        connect.initCause(new ClosedChannelException());
        assertEquals("ConnectException (ClosedChannelException)", ErrorText.of(connect));
        assertEquals("ConnectException (ClosedChannelException)", ErrorText.of(new IOException(" ", connect).getCause()));
        assertEquals("IOException (EOFException)", ErrorText.of(new IOException(" ", new EOFException())), "a blank message is none");
    }

    @Test
    void ioMessagesFallsBackToIt() {
        assertEquals("no such file", IoMessages.of(new NoSuchFileException("/x")));
        assertEquals("EOFException", IoMessages.of(new EOFException()));
    }
}
