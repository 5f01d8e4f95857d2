"""Sentence shapes with no personal name, and the short clauses that end a note.

The shapes without a name are as important to the benchmark as the named ones: they are
full of places, agencies and everyday words that begin with a surname character (林務局,
高架橋, 周邊, 陳述, 楊梅, 常常, 方便, 金額, 石門), of labels with no name after them
(用戶來電, 未留姓名) and of numbers that are not personal data. Some hold a phone, card,
identity number, e-mail address or address all the same. Slots are those of
`freetext_named`.

`TAILS` are clauses appended to a note of either kind; their slots use the number 9 so
that they never stand for a person or number of the sentence before them.
"""

from __future__ import annotations

PLAIN = """
林務局通知{LOC}周邊山區{DATE}起施工，管線可能暫時停水。
高架橋下方的消防栓漏水，水流到江邊步道，路面常常濕滑。
楊梅的親戚問溫泉區的水費怎麼算，方便的話請寄說明到{E1}。
石門水庫放水後濁度升高，請公告{DATE}前的供水調度。
陳述事項：{ROAD}人孔蓋鬆動，機車經過常常發出聲響。
方便的話請於{TIME}前派員，高樓層住家都沒水。
金額與上期相差{AMT}，{METER}，請重新查表。
依{DOC}函辦理，{LOC}一帶{DATE}停水{DUR}。
案件編號{CASE}已結案，回覆方式：簡訊。
來電反映{ROAD}{ISSUE}，請{ORG}會勘。
施工單位在{ROAD}挖掘{PIPE}管線，未設置警示燈。
黃昏時段{LOC}水壓不足，高處住家常常沒水。
許多住戶反映{ISSUE}，已通報{ORG}。
請撥{HOT}查詢停水資訊，或洽{ORG}。
曾經修過的管線又破了，{LOC}周邊{QTY}停水。
水號{WATER}申請暫停用水，{DATE}生效。
郵遞區號{ZIP}的信件退回，地址{A1}查無此人。
溫度太高時管線容易膨脹，{LOC}常常在夏天漏水。
來電號碼{P1}，未留姓名，反映{ISSUE}。
回撥{P1}無人接聽，已留言。
以信用卡{C1}繳納{AMT}，有效期限{EXP}。
卡號 {C1} 扣款失敗，請改用其他方式。
身分證{I1} {C1}，代繳申請書缺簽名。
手機{PM1} {C1}，線上代繳資料待確認。
水號 {WATER} {C1} 申請信用卡代繳。
銷帳編號 {BILL} {C1} 重複扣款，申請退費。
{ORG}轉來{DATE}的公文{DOC}，要求說明{ROAD}搶修經過。
江邊步道旁的{PIPE}管線已更換，長度{LEN}。
常常接到冒充台水的詐騙電話，請民眾注意。
方便提供郵遞區號{ZIP}地區的停水範圍嗎？
{LOC}、{LOC}兩地{DATE}{TIME}起降壓供水。
周末{LOC}有活動，請加強供水。
連日大雨，{LOC}原水濁度升高，{ORG}啟動備援。
高樓層住家請確認水塔存量約{VOL}。
申請程序：填表、繳費{AMT}、{DATE}以後裝表。
簡訊通知{DATE}{TIME}停水，但{LOC}沒收到。
經查{ROAD}的漏水點在表前，由本處修復。
服務台電話{PX1}，上班時間{HOURS}。
國外來電{PI1}，詢問{LOC}房子的水費帳單。
詢問{ORG}的{HOT}是否二十四小時服務。
地址{A1}前的人行道有兩處漏水點。
傳真{PL1}收到三頁文件，缺第2頁。
{A1}的水表箱被施工車輛壓壞。
請寄{E1}，附上{DATE}的收據照片。
戴口罩的工人在{ROAD}施工，沒有出示證件。
白天{LOC}水壓正常，晚上{TIME}以後才降。
夏天用水多，{LOC}加壓站連續運轉{DUR}。
全區{DATE}清洗水塔，請住家自行儲水。
包商在{ROAD}的回填不實，已開罰{AMT}。
左側車道封閉，{ROAD}{TIME}至{TIME}施工。
萬一停水超過{DUR}，可撥{HOT}申請送水。
丁字路口的消防栓被撞，噴水範圍{LEN}。
為杜絕漏水，{ORG}編列{AMT}汰換管線。
紀錄顯示{DATE}曾派員，{TIME}到場。
古早的鑄鐵管已經陳舊，{LOC}預計{DATE}汰換{PIPE}管。
馬上派員到{ROAD}關閉制水閥。
馬達聲音很吵，{LOC}加壓站{TIME}仍在運轉。
連絡電話{P1}，{TIME}後方便接聽。
嚴重漏水，{LOC}{QTY}受影響，已通報{ORG}。
尤其{LOC}地勢較高，{QTY}常常斷水。
容易積水的{ROAD}已加裝排水溝。
文件{DOC}已寄達，請於{DATE}前回覆。
雷雨過後{LOC}停電，加壓站停擺{DUR}。
錢已經繳了{AMT}，為什麼還收到催繳單？收據編號{BILL}。
關水後{ROAD}仍有水流出，請派員查看。
單據上的統一編號{TAX}有誤，請更正公司抬頭。
查詢{ORG}的公告，{LOC}{DATE}停水。
洪水過後{LOC}淨水場恢復供水，{TIME}起正常。
葉輪損壞造成{LOC}加壓站停機，{DATE}修復。
申報{DATE}的用水，{METER}。
溫泉區的旅館用水量大，一個月{VOL}，詢問大用戶費率。
聯絡人欄位空白，請補填。
申請人未簽名，退件。
戶名與身分證{I1}不符，請攜帶文件到{ORG}。
用戶來電{P1}，表示{ISSUE}。
一位小姐來電，問{LOC}何時恢復供水。
陳情案件{CASE}轉{ORG}處理。
{ROAD}的水表箱蓋不見了，{FLOOR}住家說晚上很危險。
何時才會恢復供水？{LOC}已經停了{DUR}。
周知{LOC}居民：{DATE}{TIME}起停水。
高壓管線{PIPE}在{ROAD}破裂，搶修中。
簡訊內容的金額{AMT}和帳單不同。
石碇、坪林、深坑三區的水質檢驗結果已公告。
方向盤打滑撞到{ROAD}的消防栓。
康寧街口的管線今天完成汰換，長度{LEN}。
金門、馬祖的親友問能不能代繳，{HOT}。
楊梅交流道附近的用戶都停水，{QTY}。
游泳池換水申請臨時用水{VOL}。
陳舊水表汰換，{LOC}共{QTY}，{DATE}起施工。
江翠一帶{TIME}停水，預計{DUR}。
林口長庚附近的管線汰換工程{DATE}完工。
常態性漏水的{ROAD}已列入{ORG}年度計畫。
申請書編號{CASE}，繳費單號{BILL}。
市話{PL1}，手機{PM1}，回電時請說明案號{CASE}。
e-mail：{E1}，附件三個。
請將收據寄到{A1}，郵遞區號{ZIP}。
{ORG}來函{DOC}，詢問{LOC}的用水量{VOL}。
"""

TAILS = """
回電{P9}。
聯絡電話：{P9}
（{PM9}）
請撥{PX9}。
手機{PM9}，市話{PL9}。
國外號碼{PI9}。
電話{P9}，{TIME}後方便。
信用卡代繳：{C9}，有效期限{EXP}。
卡號{C9}
{I9} {C9}
{PM9} {C9}
水號 {WATER} {C9}
案件編號{CASE}。
{DATE} {TIME} 登錄。
依{DOC}辦理。
{METER}，應繳{AMT}。
如有疑問請撥{HOT}。
{PIPE}，{LEN}。
回覆信箱：{E9}
e-mail {E9}
已結案。
請持續追蹤。
"""
