package dev.socketchat.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client learns of the room from the frames it sees. */
class RoomViewTest {

    private final RoomView room = new RoomView();

    @Test
    void learnsItsOwnNameFromTheWelcomeAndFromItsRenamesOnly() {
        assertThat(room.me()).isNull();
        assertThat(room.learn("* welcome guest-3 (3 online)")).isTrue();
        assertThat(room.me()).isEqualTo("guest-3");
        assertThat(room.learn("* guest-1 is now bob")).isFalse();
        assertThat(room.learn("* guest-3 is now alice")).isTrue();
        assertThat(room.me()).isEqualTo("alice");
    }

    @Test
    void keepsTheMembersFromNoticesRepliesAndWhoeverSpeaks() {
        room.learn("* welcome guest-3 (3 online)");
        room.learn("!who guest-1,guest-2,guest-3");
        room.learn("* guest-1 is now bob");
        room.learn("* guest-2 left (too slow)");
        room.learn("* dave joined");
        room.learn("[Carol] hi");
        assertThat(room.members()).containsExactly("bob", "Carol", "dave", "guest-3");
    }

    @Test
    void aMessageThatOnlyLooksLikeANoticeTeachesNothing() {
        room.learn("* welcome me (1 online)");
        room.learn("[eve] * me is now eve");
        room.learn("* not a name! joined");
        assertThat(room.me()).isEqualTo("me");
        assertThat(room.members()).containsExactly("eve", "me");
    }
}
